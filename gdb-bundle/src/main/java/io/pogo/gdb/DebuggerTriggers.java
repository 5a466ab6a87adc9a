package io.pogo.gdb;

import io.pogo.api.cpu.AddressTrigger;
import io.pogo.api.cpu.CsrAddress;
import io.pogo.api.cpu.Hart;
import io.pogo.api.cpu.MemoryAccess;
import io.pogo.api.cpu.PrivilegeMode;
import io.pogo.api.cpu.TriggerAction;

import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * gdb's hardware breakpoints and watchpoints (Z1 to Z4) on the harts' trigger modules, as an external debugger takes
 * triggers: one the guest leaves unused (tdata1 enables no access) on every hart, marked as the debugger's
 * (tdata1.dmode, action 1 "enter debug mode") so the guest cannot change it, and armed to stop the hart rather than
 * trap. Given back as it was out of reset when removed. Only while the harts are stopped.
 */
final class DebuggerTriggers {
    /** What gdb asks for, by Z packet type. */
    enum Kind {
        EXECUTE(1, "hwbreak"), WRITE(2, "watch"), READ(3, "rwatch"), ACCESS(4, "awatch");

        final int type;
        final String stopName;

        Kind(int type, String stopName) {
            this.type = type;
            this.stopName = stopName;
        }

        static Kind of(int type) {
            for (Kind kind : values()) {
                if (kind.type == type) {
                    return kind;
                }
            }
            throw new MalformedPacket("no breakpoint type " + type);
        }

        Set<MemoryAccess> accesses() {
            return switch (this) {
                case EXECUTE -> EnumSet.of(MemoryAccess.EXECUTE);
                case WRITE -> EnumSet.of(MemoryAccess.STORE);
                case READ -> EnumSet.of(MemoryAccess.LOAD);
                case ACCESS -> EnumSet.of(MemoryAccess.LOAD, MemoryAccess.STORE);
            };
        }
    }

    private record Held(Kind kind, long address, int length) {
    }

    private static final long MCONTROL = 2L << 60;
    private static final long DEBUGGER_ONLY = 1L << 59;
    private static final long ENTER_DEBUG_MODE = 1L << 12;
    private static final long ALL_MODES = 1 << 6 | 1 << 4 | 1 << 3;
    private static final long LOAD = 1;
    private static final long STORE = 1 << 1;
    private static final long EXECUTE = 1 << 2;

    private final List<Hart> harts;
    private final Map<Integer, Held> held = new HashMap<>();

    DebuggerTriggers(List<Hart> harts) {
        this.harts = harts;
    }

    /** Arms a trigger for gdb on every hart; false when no trigger is free on all of them. */
    boolean insert(Kind kind, long address, int length) {
        int count = harts.stream().mapToInt(Hart::triggerCount).min().orElse(0);
        for (int index = count - 1; index >= 0; index--) {
            if (!held.containsKey(index) && unusedByGuest(index)) {
                Held trigger = new Held(kind, address, length);
                held.put(index, trigger);
                for (Hart hart : harts) {
                    setTdata(hart, index, control(kind, length), address);
                    hart.armTrigger(index, new AddressTrigger(address, length, kind.accesses(),
                            EnumSet.allOf(PrivilegeMode.class), TriggerAction.STOP_FOR_DEBUGGER));
                }
                return true;
            }
        }
        return false;
    }

    /** Removes what {@link #insert} armed with the same arguments; false when nothing was. */
    boolean remove(Kind kind, long address, int length) {
        Held wanted = new Held(kind, address, length);
        Integer index = held.entrySet().stream().filter(entry -> entry.getValue().equals(wanted))
                .map(Map.Entry::getKey).findFirst().orElse(null);
        if (index == null) {
            return false;
        }
        release(index);
        held.remove(index);
        return true;
    }

    void removeAll() {
        held.keySet().forEach(this::release);
        held.clear();
    }

    /** The watchpoint kind of trigger {@code index}, to name it in a stop reply. */
    Kind kindOf(int index) {
        Held trigger = held.get(index);
        return trigger == null ? Kind.WRITE : trigger.kind();
    }

    private void release(int index) {
        for (Hart hart : harts) {
            hart.disarmTrigger(index);
            setTdata(hart, index, MCONTROL, 0);
        }
    }

    private boolean unusedByGuest(int index) {
        for (Hart hart : harts) {
            long saved = hart.readCsr(CsrAddress.TSELECT);
            hart.writeCsr(CsrAddress.TSELECT, index);
            long control = hart.readCsr(CsrAddress.TDATA1);
            hart.writeCsr(CsrAddress.TSELECT, saved);
            if ((control & (LOAD | STORE | EXECUTE)) != 0 && (control & ALL_MODES) != 0) {
                return false;
            }
        }
        return true;
    }

    private static void setTdata(Hart hart, int index, long control, long address) {
        long saved = hart.readCsr(CsrAddress.TSELECT);
        hart.writeCsr(CsrAddress.TSELECT, index);
        hart.writeCsr(CsrAddress.TDATA1, control);
        hart.writeCsr(CsrAddress.TDATA2, address);
        hart.writeCsr(CsrAddress.TSELECT, saved);
    }

    /** tdata1 of a debugger's mcontrol trigger: dmode, action 1, every mode, the accesses, the size if it has one. */
    private static long control(Kind kind, int length) {
        long accesses = switch (kind) {
            case EXECUTE -> EXECUTE;
            case WRITE -> STORE;
            case READ -> LOAD;
            case ACCESS -> LOAD | STORE;
        };
        long size = switch (length) {
            case 1 -> 1L << 16;
            case 2 -> 2L << 16;
            case 4 -> 3L << 16;
            case 8 -> 1L << 21 | 1L << 16;
            default -> 0;
        };
        return MCONTROL | DEBUGGER_ONLY | ENTER_DEBUG_MODE | ALL_MODES | accesses | size;
    }
}
