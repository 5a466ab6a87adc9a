package io.pogo.interpreter.privileged;

import io.pogo.api.cpu.AddressTrigger;
import io.pogo.api.cpu.Hart;
import io.pogo.api.cpu.MemoryAccess;
import io.pogo.api.cpu.PrivilegeMode;
import io.pogo.api.dispatch.VmContext;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

import static io.pogo.api.cpu.CsrAddress.TDATA1;
import static io.pogo.api.cpu.CsrAddress.TDATA2;
import static io.pogo.api.cpu.CsrAddress.TSELECT;

/**
 * The debug trigger module's CSRs, with QEMU 7.2's WARL rules. tselect keeps only a value naming one of the hart's
 * triggers. tdata1 takes an address-match trigger of type 2 (mcontrol) or 6 (mcontrol6) and ignores a write of any
 * other type; of the written value it keeps the mode bits, the execute/store/load bits and a size encoding QEMU
 * supports (any, 1, 2, 4 or 8 bytes; any other reads as "any"), so the trigger always matches an address and raises
 * a breakpoint exception before the instruction or access. tdata3 reads zero, tinfo lists types 2 and 6, and
 * writes to both are ignored. Every change re-arms the selected trigger on the hart. A trigger a debugger holds
 * (tdata1.dmode set) ignores the guest's writes to tdata1 and tdata2, as the debug specification has it.
 */
final class TriggerRules {
    private static final int TYPE_SHIFT = 60;
    private static final long DEBUGGER_ONLY = 1L << 59;
    private static final long MCONTROL = 2;
    private static final long MCONTROL6 = 6;
    private static final long LOAD = 1;
    private static final long STORE = 1 << 1;
    private static final long EXECUTE = 1 << 2;
    private static final long USER = 1 << 3;
    private static final long SUPERVISOR = 1 << 4;
    private static final long MACHINE = 1 << 6;
    private static final Map<MemoryAccess, Long> ACCESS_BITS = Map.of(MemoryAccess.LOAD, LOAD,
            MemoryAccess.STORE, STORE, MemoryAccess.EXECUTE, EXECUTE);
    private static final Map<PrivilegeMode, Long> MODE_BITS = Map.of(PrivilegeMode.USER, USER,
            PrivilegeMode.SUPERVISOR, SUPERVISOR, PrivilegeMode.MACHINE, MACHINE);
    private static final long MATCHING = LOAD | STORE | EXECUTE | USER | SUPERVISOR | MACHINE;
    /** mcontrol6.VS and VU: kept as QEMU keeps them; without the hypervisor extension they never fire. */
    private static final long VIRTUAL_MODES = 3L << 23;
    /** Bytes watched by size encoding; -1 for the encodings QEMU does not support. Encoding 0 (any) watches 8. */
    private static final int[] SIZE_BYTES = {8, 1, 2, 4, -1, 8, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1};

    static final CsrRule SELECT = new CsrRule() {
        @Override
        public long read(Hart hart, VmContext vm) {
            return hart.readCsr(TSELECT);
        }

        @Override
        public void write(Hart hart, VmContext vm, long value) {
            if (Long.compareUnsigned(value, hart.triggerCount()) < 0) {
                hart.writeCsr(TSELECT, value);
            }
        }
    };

    static final CsrRule CONTROL = new CsrRule() {
        @Override
        public long read(Hart hart, VmContext vm) {
            return hart.readCsr(TDATA1);
        }

        @Override
        public void write(Hart hart, VmContext vm, long value) {
            long type = value >>> TYPE_SHIFT;
            if ((type == MCONTROL || type == MCONTROL6) && !heldByDebugger(hart)) {
                hart.writeCsr(TDATA1, type << TYPE_SHIFT | value & MATCHING
                        | (type == MCONTROL6 ? value & VIRTUAL_MODES : 0) | supportedSize(type, value));
                rearm(hart);
            }
        }
    };

    static final CsrRule ADDRESS = new CsrRule() {
        @Override
        public long read(Hart hart, VmContext vm) {
            return hart.readCsr(TDATA2);
        }

        @Override
        public void write(Hart hart, VmContext vm, long value) {
            if (!heldByDebugger(hart)) {
                hart.writeCsr(TDATA2, value);
                rearm(hart);
            }
        }
    };

    static final CsrRule EXTRA = new CsrRule.Constant(0);
    static final CsrRule INFO = new CsrRule.Constant(1L << MCONTROL | 1L << MCONTROL6);

    private TriggerRules() {
    }

    private static boolean heldByDebugger(Hart hart) {
        return (hart.readCsr(TDATA1) & DEBUGGER_ONLY) != 0;
    }

    /** The size field's bits as written when QEMU supports the encoding, else none (any size). */
    private static long supportedSize(long type, long control) {
        long field = sizeField(type);
        return SIZE_BYTES[sizeEncoding(type, control)] < 0 ? 0 : control & field;
    }

    private static long sizeField(long type) {
        return type == MCONTROL ? 3L << 21 | 3L << 16 : 0xFL << 16;
    }

    /** mcontrol splits its size into sizehi (bits 22:21) and sizelo (17:16); mcontrol6 has one field (19:16). */
    private static int sizeEncoding(long type, long control) {
        return type == MCONTROL ? (int) (control >>> 21 & 3) << 2 | (int) (control >>> 16 & 3)
                : (int) (control >>> 16 & 0xF);
    }

    /** The members of {@code type} whose bit in {@code bits} is set in {@code control}. */
    private static <E extends Enum<E>> Set<E> selected(long control, Map<E, Long> bits, Class<E> type) {
        Set<E> members = EnumSet.noneOf(type);
        bits.forEach((member, bit) -> {
            if ((control & bit) != 0) {
                members.add(member);
            }
        });
        return members;
    }

    private static void rearm(Hart hart) {
        int index = (int) hart.readCsr(TSELECT);
        long control = hart.readCsr(TDATA1);
        Set<MemoryAccess> accesses = selected(control, ACCESS_BITS, MemoryAccess.class);
        Set<PrivilegeMode> modes = selected(control, MODE_BITS, PrivilegeMode.class);
        if (accesses.isEmpty() || modes.isEmpty()) {
            hart.disarmTrigger(index);
        } else {
            long type = control >>> TYPE_SHIFT;
            int length = SIZE_BYTES[sizeEncoding(type, control)];
            hart.armTrigger(index, new AddressTrigger(hart.readCsr(TDATA2), length, accesses, modes));
        }
    }
}
