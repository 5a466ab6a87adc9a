package io.pogo.cpu;

import io.pogo.api.cpu.AddressTrigger;
import io.pogo.api.cpu.MemoryAccess;
import io.pogo.api.cpu.PrivilegeMode;

import java.util.Arrays;
import java.util.Objects;

/**
 * The hart's trigger module as the CPU sees it: the raw tdata1 and tdata2 of each trigger (tselect picks the one
 * the CSRs show), and the address triggers armed from them. Arming may come from any thread; the run loop takes
 * the new set at a block boundary ({@link #takeChanges}), so the checks read plain fields of the vCPU thread only,
 * and only while {@link #watchesExecution} or {@link #watchesAccesses} says they must.
 */
final class Triggers {
    /** As many as QEMU 7.2's harts have. */
    static final int COUNT = 2;
    /** tdata1 out of reset: an address-match (mcontrol) trigger enabled in no mode. */
    private static final long MCONTROL_AT_RESET = 2L << 60;
    private static final int EXECUTE = bit(MemoryAccess.EXECUTE);

    /** tdata1 and tdata2 of each trigger. */
    final long[] control = new long[COUNT];
    final long[] data = new long[COUNT];

    private final AddressTrigger[] requested = new AddressTrigger[COUNT];
    private volatile boolean changed;

    private final long[] first = new long[COUNT];
    private final long[] last = new long[COUNT];
    /** Per trigger, one bit per {@link MemoryAccess} and one per privilege level it fires on; 0 when disarmed. */
    private final int[] accesses = new int[COUNT];
    private final int[] modes = new int[COUNT];
    boolean watchesExecution;
    boolean watchesAccesses;

    Triggers() {
        Arrays.fill(control, MCONTROL_AT_RESET);
    }

    private static int bit(MemoryAccess access) {
        return 1 << access.ordinal();
    }

    /** Replaces trigger {@code index}; null disarms it. The caller makes the run loop look ({@link #takeChanges}). */
    synchronized void request(int index, AddressTrigger trigger) {
        Objects.checkIndex(index, COUNT);
        requested[index] = trigger;
        changed = true;
    }

    /** On the vCPU thread, between blocks: makes the requested triggers the armed ones; returns whether any changed. */
    boolean takeChanges() {
        if (!changed) {
            return false;
        }
        synchronized (this) {
            changed = false;
            watchesExecution = false;
            watchesAccesses = false;
            for (int i = 0; i < COUNT; i++) {
                AddressTrigger trigger = requested[i];
                accesses[i] = 0;
                modes[i] = 0;
                if (trigger == null) {
                    continue;
                }
                first[i] = trigger.address();
                last[i] = trigger.address() + Math.max(trigger.length(), 1) - 1;
                for (MemoryAccess access : trigger.accesses()) {
                    accesses[i] |= bit(access);
                }
                for (PrivilegeMode mode : trigger.modes()) {
                    modes[i] |= 1 << mode.level();
                }
                if (modes[i] != 0) {
                    watchesExecution |= (accesses[i] & EXECUTE) != 0;
                    watchesAccesses |= (accesses[i] & ~EXECUTE) != 0;
                }
            }
        }
        return true;
    }

    /** Whether an execute trigger fires before the instruction at {@code pc} in privilege level {@code privilege}. */
    boolean firesOnExecute(long pc, int privilege) {
        for (int i = 0; i < COUNT; i++) {
            if ((accesses[i] & EXECUTE) != 0 && (modes[i] >>> privilege & 1) != 0 && first[i] == pc) {
                return true;
            }
        }
        return false;
    }

    /**
     * The index of the first instruction of {@code block} after its first one on which an execute trigger fires,
     * or the block's length: how far the block may run before the trigger's breakpoint.
     */
    int executableLength(Block block, long start, int privilege) {
        for (int i = 1; i < block.offsets.length; i++) {
            if (firesOnExecute(start + block.offsets[i], privilege)) {
                return i;
            }
        }
        return block.offsets.length;
    }

    /** Whether a load or store trigger fires before an access of {@code size} bytes at {@code address}. */
    boolean firesOnAccess(long address, int size, MemoryAccess access, int privilege) {
        long end = address + size - 1;
        for (int i = 0; i < COUNT; i++) {
            if ((accesses[i] & bit(access)) != 0 && (modes[i] >>> privilege & 1) != 0
                    && Long.compareUnsigned(address, last[i]) <= 0 && Long.compareUnsigned(first[i], end) <= 0) {
                return true;
            }
        }
        return false;
    }
}
