package io.pogo.cpu.jit;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.function.Predicate;

/**
 * Entries holding arrays weakly, chained in the slot of their content's hash; an entry leaves the table once the
 * JVM has collected its array. What an entry holds besides, and what makes two arrays the same, is its user's.
 *
 * <p>A table of its own rather than a map of hash to chain: the map's node and boxed key per array (48 bytes, more
 * than the entry itself) were 3.7 MB of the heap after a Linux boot, whose harts' blocks hold tens of thousands of
 * arrays.
 */
final class WeakTable<A> {
    private Entry<A>[] slots = newSlots(1024);
    private int size;
    private final ReferenceQueue<A> collected = new ReferenceQueue<>();

    static class Entry<A> extends WeakReference<A> {
        final int hash;
        Entry<A> next;

        Entry(A array, int hash, WeakTable<A> table) {
            super(array, table.collected);
            this.hash = hash;
        }
    }

    /**
     * The entry of {@code hash} whose array is still held and passes {@code same}, or null; the entries of collected
     * arrays leave the table first. Callers lock.
     */
    Entry<A> find(int hash, Predicate<A> same) {
        purge();
        for (Entry<A> entry = slots[slot(hash, slots.length)]; entry != null; entry = entry.next) {
            if (entry.hash == hash) {
                A array = entry.get();
                if (array != null && same.test(array)) {
                    return entry;
                }
            }
        }
        return null;
    }

    /** Adds {@code entry} to its hash's chain; callers lock. */
    void add(Entry<A> entry) {
        int slot = slot(entry.hash, slots.length);
        entry.next = slots[slot];
        slots[slot] = entry;
        if (++size > slots.length - slots.length / 4) {
            grow();
        }
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
