package io.pogo.cpu.jit;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.HashMap;
import java.util.Map;
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
    /** Entries by the hash of their content, each the first of a chain of those of the same hash. */
    private final Map<Integer, Entry<A>> chains = new HashMap<>();
    private final ReferenceQueue<A> collected = new ReferenceQueue<>();

    private static final class Entry<A> extends WeakReference<A> {
        final int hash;
        Entry<A> next;

        Entry(A array, int hash, ReferenceQueue<A> queue) {
            super(array, queue);
            this.hash = hash;
        }
    }

    SharedArrays(ToIntFunction<A> hash, BiPredicate<A, A> equal) {
        this.hash = hash;
        this.equal = equal;
    }

    /** The array of {@code array}'s content some user holds, or else {@code array}, which nobody may write from now. */
    synchronized A intern(A array) {
        purge();
        int key = hash.applyAsInt(array);
        Entry<A> first = chains.get(key);
        for (Entry<A> entry = first; entry != null; entry = entry.next) {
            A shared = entry.get();
            if (shared != null && equal.test(shared, array)) {
                return shared;
            }
        }
        Entry<A> entry = new Entry<>(array, key, collected);
        entry.next = first;
        chains.put(key, entry);
        return array;
    }

    /** Unlinks the entries whose arrays the JVM has collected. */
    @SuppressWarnings("unchecked") // the queue holds this table's entries only
    private void purge() {
        for (Object gone = collected.poll(); gone != null; gone = collected.poll()) {
            Entry<A> entry = (Entry<A>) gone;
            Entry<A> first = chains.get(entry.hash);
            if (first == entry) {
                if (first.next == null) {
                    chains.remove(entry.hash);
                } else {
                    chains.put(entry.hash, first.next);
                }
                continue;
            }
            for (Entry<A> previous = first; previous != null; previous = previous.next) {
                if (previous.next == entry) {
                    previous.next = entry.next;
                    break;
                }
            }
        }
    }
}
