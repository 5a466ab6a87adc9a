package io.pogo.cpu.debug;

import java.util.TreeSet;

/**
 * The debugger's software breakpoints of one hart: virtual addresses the hart stops before, whatever the privilege
 * mode. Guest memory is never patched, so the guest cannot see them and every block, decoded or compiled, serves on
 * unchanged: the run loop checks a block's addresses before running it, as it does for execute triggers. Changes may
 * come from any thread; the run loop takes them at a block boundary ({@link #takeChanges}), so the checks read plain
 * fields of the vCPU thread only.
 */
public final class Breakpoints {
    private final TreeSet<Long> requested = new TreeSet<>(Long::compareUnsigned);
    private volatile boolean changed;
    /** The breakpoints in force, sorted; empty while there are none, which costs the run loop nothing. */
    private long[] active = new long[0];

    /** Adds or removes a breakpoint; the caller makes the run loop look ({@link #takeChanges}). */
    synchronized void request(long address, boolean present) {
        boolean effective = present ? requested.add(address) : requested.remove(address);
        changed |= effective;
    }

    synchronized void clear() {
        changed |= !requested.isEmpty();
        requested.clear();
    }

    /** On the vCPU thread, between blocks: makes the requested breakpoints the active ones; whether any changed. */
    public boolean takeChanges() {
        if (!changed) {
            return false;
        }
        synchronized (this) {
            changed = false;
            active = requested.stream().mapToLong(Long::longValue).toArray();
        }
        return true;
    }

    public boolean any() {
        return active.length > 0;
    }

    public boolean at(long pc) {
        for (long address : active) {
            if (address == pc) {
                return true;
            }
        }
        return false;
    }

    /** Whether a breakpoint lies from {@code first} to {@code last}, both included. */
    public boolean within(long first, long last) {
        for (long address : active) {
            if (Long.compareUnsigned(address, first) >= 0 && Long.compareUnsigned(address, last) <= 0) {
                return true;
            }
        }
        return false;
    }
}
