package io.pogo.cpu.jit;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
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
    /**
     * Entries in the slot of their content's hash, chained. A table of its own rather than a map of hash to chain:
     * the map's node and boxed key per array (48 bytes, more than the entry itself) were 3.7 MB of the heap after a
     * Linux boot, whose harts' blocks hold some 80000 arrays.
     */
    private Entry<A>[] slots = newSlots(1024);
    private int size;
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
        int slot = slot(key, slots.length);
        for (Entry<A> entry = slots[slot]; entry != null; entry = entry.next) {
            if (entry.hash == key) {
                A shared = entry.get();
                if (shared != null && equal.test(shared, array)) {
                    return shared;
                }
            }
        }
        Entry<A> entry = new Entry<>(array, key, collected);
        entry.next = slots[slot];
        slots[slot] = entry;
        if (++size > slots.length - slots.length / 4) {
            grow();
        }
        return array;
    }

    /** The slot of a hash in a table of {@code length} slots, a power of two; the high bits fold into the low. */
    private static int slot(int hash, int length) {
        return (hash ^ hash >>> 16) & (length - 1);
    }

    /** Moves every entry into a table twice as long, which keeps the chains a few entries long. */
    private void grow() {
        Entry<A>[] old = slots;
        slots = newSlots(old.length * 2);
        for (Entry<A> first : old) {
            Entry<A> next;
            for (Entry<A> entry = first; entry != null; entry = next) {
                next = entry.next;
                int slot = slot(entry.hash, slots.length);
                entry.next = slots[slot];
                slots[slot] = entry;
            }
        }
    }

    @SuppressWarnings("unchecked") // an array of the erased type, holding this table's entries only
    private static <A> Entry<A>[] newSlots(int length) {
        return (Entry<A>[]) new Entry<?>[length];
    }

    /** Unlinks the entries whose arrays the JVM has collected. */
    @SuppressWarnings("unchecked") // the queue holds this table's entries only
    private void purge() {
        for (Object gone = collected.poll(); gone != null; gone = collected.poll()) {
            Entry<A> entry = (Entry<A>) gone;
            int slot = slot(entry.hash, slots.length);
            if (slots[slot] == entry) {
                slots[slot] = entry.next;
                size--;
                continue;
            }
            for (Entry<A> previous = slots[slot]; previous != null; previous = previous.next) {
                if (previous.next == entry) {
                    previous.next = entry.next;
                    size--;
                    break;
                }
            }
        }
    }
}
