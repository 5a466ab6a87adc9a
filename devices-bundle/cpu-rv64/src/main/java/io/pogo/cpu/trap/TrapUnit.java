package io.pogo.cpu.trap;

import io.pogo.api.cpu.CsrAddress;
import io.pogo.api.cpu.ExceptionCause;
import io.pogo.cpu.HartState;
import io.pogo.cpu.mmu.Mmu;

/**
 * Delivers exceptions and interrupts inside the CPU, as hardware does: delegation through medeleg/mideleg, the
 * mstatus stack (xIE, xPIE, xPP), direct and vectored trap vectors.
 */
public final class TrapUnit {
    private static final long INTERRUPT_FLAG = 1L << 63;
    /** Interrupt bits from highest to lowest priority: MEI, MSI, MTI, SEI, SSI, STI. */
    private static final int[] PRIORITY = {11, 3, 7, 9, 1, 5};
    private static final int MACHINE = 3;
    private static final int SUPERVISOR = 1;

    private final HartState hart;
    private final Mmu mmu;

    public TrapUnit(HartState hart, Mmu mmu) {
        this.hart = hart;
        this.mmu = mmu;
    }

    /**
     * Traps at the instruction at {@code pc}; with no cause the instruction runs again later
     * ({@link GuestException#retryLater}).
     */
    public void raise(ExceptionCause cause, long tval, long pc) {
        if (cause == null) {
            hart.pc = pc;
            return;
        }
        deliver(cause.code(), tval, pc);
    }

    /** Takes the highest-priority pending interrupt the current mode and enables allow; returns whether one was. */
    public boolean takePendingInterrupt() {
        long pending = hart.mip() & hart.csr[CsrAddress.MIE];
        if (pending == 0) {
            return false;
        }
        long mstatus = hart.csr[CsrAddress.MSTATUS];
        long delegated = hart.csr[CsrAddress.MIDELEG];
        int privilege = hart.privilege;
        boolean machineEnabled = privilege < MACHINE || (mstatus & Csr.MIE_BIT) != 0;
        boolean supervisorEnabled = privilege < SUPERVISOR || privilege == SUPERVISOR && (mstatus & Csr.SIE) != 0;
        long machineLevel = machineEnabled ? pending & ~delegated : 0;
        long supervisorLevel = supervisorEnabled ? pending & delegated : 0;
        long candidates = machineLevel != 0 ? machineLevel : supervisorLevel;
        if (candidates == 0) {
            return false;
        }
        for (int bit : PRIORITY) {
            if ((candidates & (1L << bit)) != 0) {
                deliver(INTERRUPT_FLAG | bit, 0, hart.pc);
                return true;
            }
        }
        return false;
    }

    private void deliver(long cause, long tval, long pc) {
        boolean interrupt = cause < 0;
        int code = (int) cause & 63;
        long delegation = hart.csr[interrupt ? CsrAddress.MIDELEG : CsrAddress.MEDELEG];
        int from = hart.privilege;
        long[] csr = hart.csr;
        long mstatus = csr[CsrAddress.MSTATUS];
        long vector;
        if (from <= SUPERVISOR && ((delegation >>> code) & 1) != 0) {
            csr[CsrAddress.SCAUSE] = cause;
            csr[CsrAddress.SEPC] = pc;
            csr[CsrAddress.STVAL] = tval;
            mstatus = (mstatus & ~(Csr.SPIE | Csr.SPP | Csr.SIE))
                    | ((mstatus & Csr.SIE) != 0 ? Csr.SPIE : 0)
                    | (from == SUPERVISOR ? Csr.SPP : 0);
            vector = csr[CsrAddress.STVEC];
            hart.privilege = SUPERVISOR;
        } else {
            csr[CsrAddress.MCAUSE] = cause;
            csr[CsrAddress.MEPC] = pc;
            csr[CsrAddress.MTVAL] = tval;
            mstatus = (mstatus & ~(Csr.MPIE | Csr.MPP | Csr.MIE_BIT))
                    | ((mstatus & Csr.MIE_BIT) != 0 ? Csr.MPIE : 0)
                    | (long) from << Csr.MPP_SHIFT;
            vector = csr[CsrAddress.MTVEC];
            hart.privilege = MACHINE;
        }
        csr[CsrAddress.MSTATUS] = mstatus;
        boolean vectored = (vector & 3) == 1 && interrupt;
        hart.pc = (vector & ~3L) + (vectored ? 4L * code : 0);
        mmu.clearReservation();
        mmu.modeChanged();
    }
}
