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
        for (WeakTable.Entry<A> entry = table.chain(key); entry != null; entry = entry.next) {
            if (entry.hash == key) {
                A shared = entry.get();
                if (shared != null && equal.test(shared, array)) {
                    return shared;
                }
            }
        }
        table.add(new WeakTable.Entry<>(array, key, table));
        return array;
    }
}
