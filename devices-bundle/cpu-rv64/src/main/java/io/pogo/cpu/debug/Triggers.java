package io.pogo.cpu.debug;

import io.pogo.api.cpu.AddressTrigger;
import io.pogo.api.cpu.MemoryAccess;
import io.pogo.api.cpu.PrivilegeMode;
import io.pogo.api.cpu.TriggerAction;

import java.util.Arrays;
import java.util.Objects;

/**
 * The hart's trigger module as the CPU sees it: the raw tdata1 and tdata2 of each trigger (tselect picks the one
 * the CSRs show), and the address triggers armed from them. Arming may come from any thread; the run loop takes
 * the new set at a block boundary ({@link #takeChanges}), so the checks read plain fields of the vCPU thread only,
 * and only while {@link #watchesExecution} or {@link #watchesAccesses} says they must. A trigger fires for the guest
 * (a breakpoint exception) or for the debugger (the hart stops), as its {@link TriggerAction} says.
 */
public final class Triggers {
    /** As many as QEMU 7.2's harts have. */
    public static final int COUNT = 2;
    /** tdata1 out of reset: an address-match (mcontrol) trigger enabled in no mode. */
    public static final long MCONTROL_AT_RESET = 2L << 60;
    private static final int EXECUTE = bit(MemoryAccess.EXECUTE);

    /** tdata1 and tdata2 of each trigger. */
    public final long[] control = new long[COUNT];
    public final long[] data = new long[COUNT];

    private final AddressTrigger[] requested = new AddressTrigger[COUNT];
    private volatile boolean changed;

    private final long[] first = new long[COUNT];
    private final long[] last = new long[COUNT];
    /** Per trigger, one bit per {@link MemoryAccess} and one per privilege level it fires on; 0 when disarmed. */
    private final int[] accesses = new int[COUNT];
    private final int[] modes = new int[COUNT];
    private final boolean[] forDebugger = new boolean[COUNT];
    public boolean watchesExecution;
    public boolean watchesAccesses;

    public Triggers() {
        Arrays.fill(control, MCONTROL_AT_RESET);
    }

    private static int bit(MemoryAccess access) {
        return 1 << access.ordinal();
    }

    /** Replaces trigger {@code index}; null disarms it. The caller makes the run loop look ({@link #takeChanges}). */
    public synchronized void request(int index, AddressTrigger trigger) {
        Objects.checkIndex(index, COUNT);
        requested[index] = trigger;
        changed = true;
    }

    /** On the vCPU thread, between blocks: makes the requested triggers the armed ones; returns whether any changed. */
    public boolean takeChanges() {
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
                forDebugger[i] = trigger.action() == TriggerAction.STOP_FOR_DEBUGGER;
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

    /** What the guest armed trigger {@code index} to watch, or null when it is disarmed or the debugger's. */
    public synchronized AddressTrigger guestTrigger(int index) {
        AddressTrigger trigger = requested[index];
        return trigger != null && trigger.action() == TriggerAction.BREAKPOINT_EXCEPTION ? trigger : null;
    }

    /** Whether a debugger holds trigger {@code index}: the guest would find it as out of reset once released. */
    public synchronized boolean heldByDebugger(int index) {
        AddressTrigger trigger = requested[index];
        return trigger != null && trigger.action() == TriggerAction.STOP_FOR_DEBUGGER;
    }

    /** The execute trigger that fires before the instruction at {@code pc} in privilege level {@code privilege}, or -1. */
    public int executeTrigger(long pc, int privilege) {
        for (int i = 0; i < COUNT; i++) {
            if ((accesses[i] & EXECUTE) != 0 && (modes[i] >>> privilege & 1) != 0 && first[i] == pc) {
                return i;
            }
        }
        return -1;
    }

    /** Whether an execute trigger watches an instruction address from {@code first} to {@code last}, in any mode. */
    public boolean watchesExecutionIn(long first, long last) {
        for (int i = 0; i < COUNT; i++) {
            if ((accesses[i] & EXECUTE) != 0 && modes[i] != 0 && Long.compareUnsigned(this.first[i], first) >= 0
                    && Long.compareUnsigned(this.first[i], last) <= 0) {
                return true;
            }
        }
        return false;
    }

    /** The load or store trigger that fires before an access of {@code size} bytes at {@code address}, or -1. */
    public int accessTrigger(long address, int size, MemoryAccess access, int privilege) {
        long end = address + size - 1;
        for (int i = 0; i < COUNT; i++) {
            if ((accesses[i] & bit(access)) != 0 && (modes[i] >>> privilege & 1) != 0
                    && Long.compareUnsigned(address, last[i]) <= 0 && Long.compareUnsigned(first[i], end) <= 0) {
                return i;
            }
        }
        return -1;
    }

    /** Whether trigger {@code index} stops the hart for the debugger rather than raising a breakpoint exception. */
    public boolean stopsForDebugger(int index) {
        return forDebugger[index];
    }

    /**
     * Disarms every trigger armed for the debugger and gives it back to the guest as it was out of reset; the caller
     * makes the run loop look.
     */
    synchronized void releaseDebuggerTriggers() {
        for (int i = 0; i < COUNT; i++) {
            if (requested[i] != null && requested[i].action() == TriggerAction.STOP_FOR_DEBUGGER) {
                requested[i] = null;
                control[i] = MCONTROL_AT_RESET;
                data[i] = 0;
                changed = true;
            }
        }
    }
}
