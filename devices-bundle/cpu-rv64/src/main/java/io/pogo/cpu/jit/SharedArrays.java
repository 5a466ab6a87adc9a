package io.pogo.cpu.jit;

import java.util.function.BiPredicate;
import java.util.function.ToIntFunction;

/**
 * Arrays that nothing writes, one of each content, held weakly: {@link #intern} hands out the array of that
 * content some user still holds, else takes the one offered. Once no user holds an array, the JVM collects it and
 * its entry leaves the table.
 */
final class SharedArrays<A> {
    private final ToIntFunction<A> hash;
    private final BiPredicate<A, A> equal;
    private final WeakTable<A> table = new WeakTable<>();

    SharedArrays(ToIntFunction<A> hash, BiPredicate<A, A> equal) {
        this.hash = hash;
        this.equal = equal;
    }

    /** The array of {@code array}'s content some user holds, or else {@code array}, which nobody may write from now. */
    synchronized A intern(A array) {
        int key = hash.applyAsInt(array);
        WeakTable.Entry<A> found = table.find(key, shared -> equal.test(shared, array));
        // read again, and held from here on: the JVM may have cleared the entry since find saw its array
        A shared = found == null ? null : found.get();
        if (shared != null) {
            return shared;
        }
        table.add(new WeakTable.Entry<>(array, key, table));
        return array;
    }
}
