package io.pogo.interpreter.privileged;

import io.pogo.api.cpu.Hart;
import io.pogo.api.dispatch.VmContext;

import static io.pogo.api.cpu.CsrAddress.*;
import static io.pogo.interpreter.privileged.Csrs.*;

/** The WARL rules of mstatus and of its supervisor view sstatus, and the FS dirty tracking both depend on. */
final class StatusRules {
    private static final long MACHINE_WRITABLE = STATUS_SIE | STATUS_MIE | STATUS_SPIE | STATUS_MPIE | STATUS_SPP
            | STATUS_MPP | STATUS_FS | STATUS_MPRV | STATUS_SUM | STATUS_MXR | STATUS_TVM | STATUS_TW | STATUS_TSR;
    private static final long SUPERVISOR_WRITABLE = STATUS_SIE | STATUS_SPIE | STATUS_SPP | STATUS_FS | STATUS_SUM
            | STATUS_MXR;
    private static final long SUPERVISOR_READABLE = SUPERVISOR_WRITABLE | STATUS_XS | STATUS_UXL | STATUS_SD;
    private static final long MPP_RESERVED = 2L << MPP_SHIFT;

    private StatusRules() {
    }

    /** mstatus: MPP keeps its old value when software writes the reserved encoding 2; SD summarises FS. */
    static final CsrRule MACHINE = new CsrRule() {
        @Override
        public long read(Hart hart, VmContext vm) {
            return hart.readCsr(MSTATUS);
        }

        @Override
        public void write(Hart hart, VmContext vm, long value) {
            update(hart, MACHINE_WRITABLE, value);
        }
    };

    static final CsrRule SUPERVISOR = new CsrRule() {
        @Override
        public long read(Hart hart, VmContext vm) {
            return hart.readCsr(MSTATUS) & SUPERVISOR_READABLE;
        }

        @Override
        public void write(Hart hart, VmContext vm, long value) {
            update(hart, SUPERVISOR_WRITABLE, value);
        }
    };

    private static void update(Hart hart, long writable, long value) {
        long old = hart.readCsr(MSTATUS);
        long next = old & ~writable | value & writable;
        if ((next & STATUS_MPP) == MPP_RESERVED) {
            next = next & ~STATUS_MPP | old & STATUS_MPP;
        }
        hart.writeCsr(MSTATUS, withSummary(next));
    }

    private static long withSummary(long status) {
        return (status & STATUS_FS) == STATUS_FS ? status | STATUS_SD : status & ~STATUS_SD;
    }

    static boolean floatingPointEnabled(Hart hart) {
        return (hart.readCsr(MSTATUS) & STATUS_FS) != 0;
    }

    static void markFloatingPointDirty(Hart hart) {
        hart.writeCsr(MSTATUS, hart.readCsr(MSTATUS) | STATUS_FS | STATUS_SD);
    }
}
