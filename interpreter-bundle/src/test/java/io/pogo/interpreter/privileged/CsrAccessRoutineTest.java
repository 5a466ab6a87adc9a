package io.pogo.interpreter.privileged;

import io.pogo.api.cpu.ExceptionCause;
import io.pogo.api.cpu.Exit;
import io.pogo.api.cpu.Interrupt;
import io.pogo.api.cpu.PrivilegeMode;
import org.junit.jupiter.api.Test;

import static io.pogo.api.cpu.CsrAddress.*;
import static io.pogo.interpreter.privileged.Csrs.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class CsrAccessRoutineTest {
    private final CsrAccessRoutine routine = new CsrAccessRoutine();
    private final FakeHart hart = new FakeHart();
    private final FakeVm vm = new FakeVm();

    private long run(Exit exit) {
        return routine.handle(exit, hart, vm);
    }

    private void assertIllegal(Exit exit) {
        hart.raisedCause = null;
        run(exit);
        assertEquals(ExceptionCause.ILLEGAL_INSTRUCTION, hart.raisedCause);
        assertEquals(exit.instruction() & 0xFFFF_FFFFL, hart.raisedTval);
    }

    @Test
    void everyVariantReturnsTheOldValueAndUpdatesTheCsr() {
        hart.csrs[MSCRATCH] = 0xF0;
        assertEquals(0xF0, run(Instructions.csr(1, MSCRATCH, 10, 5, 0x0F)));
        assertEquals(0x0F, run(Instructions.csr(2, MSCRATCH, 10, 5, 0x30)));
        assertEquals(0x3F, run(Instructions.csr(3, MSCRATCH, 10, 5, 0x03)));
        assertEquals(0x3C, run(Instructions.csr(5, MSCRATCH, 10, 17, 17)));
        assertEquals(17, run(Instructions.csr(6, MSCRATCH, 10, 8, 8)));
        assertEquals(25, run(Instructions.csr(7, MSCRATCH, 10, 1, 1)));
        assertEquals(24, hart.csrs[MSCRATCH]);
        assertNull(hart.raisedCause);
    }

    @Test
    void readOnlyCsrsMayBeReadButNotWritten() {
        hart.csrs[MHARTID] = 0;
        assertEquals(0, run(Instructions.csr(2, MHARTID, 10, 0, 0)));
        assertNull(hart.raisedCause);
        assertIllegal(Instructions.csr(1, MHARTID, 0, 5, 1));
        assertIllegal(Instructions.csr(6, CYCLE, 10, 1, 1));
    }

    @Test
    void lowerModesCannotReachHigherModesCsrs() {
        hart.privilege = PrivilegeMode.SUPERVISOR;
        assertIllegal(Instructions.csrRead(MSTATUS));
        hart.privilege = PrivilegeMode.USER;
        assertIllegal(Instructions.csrRead(SSTATUS));
        assertIllegal(Instructions.csrRead(0x7FF));
    }

    @Test
    void nonexistentCsrsAreIllegal() {
        assertIllegal(Instructions.csrRead(0x7C0));
        assertIllegal(Instructions.csrRead(0x5FF));
    }

    @Test
    void userCountersNeedBothCounterEnables() {
        hart.privilege = PrivilegeMode.USER;
        assertIllegal(Instructions.csrRead(TIME));
        hart.csrs[MCOUNTEREN] = 2;
        assertIllegal(Instructions.csrRead(TIME));
        hart.csrs[SCOUNTEREN] = 2;
        hart.raisedCause = null;
        assertEquals(FakeVm.TICKS, run(Instructions.csrRead(TIME)));
        assertNull(hart.raisedCause);
        hart.privilege = PrivilegeMode.SUPERVISOR;
        hart.csrs[SCOUNTEREN] = 0;
        assertEquals(FakeVm.TICKS, run(Instructions.csrRead(TIME)));
        assertNull(hart.raisedCause);
    }

    @Test
    void satpIsWarlAndTrappedByTvm() {
        long sv39 = 8L << 60 | 0x1234L << 44 | 0x80123;
        run(Instructions.csrWrite(SATP, sv39));
        assertEquals(sv39, hart.csrs[SATP]);
        run(Instructions.csrWrite(SATP, 10L << 60 | 5));
        assertEquals(sv39, hart.csrs[SATP], "an unsupported mode (Sv57) leaves satp unchanged");
        run(Instructions.csrWrite(SATP, 9L << 60 | 7));
        assertEquals(9L << 60 | 7, hart.csrs[SATP]);
        hart.privilege = PrivilegeMode.SUPERVISOR;
        hart.csrs[MSTATUS] = STATUS_TVM;
        assertIllegal(Instructions.csrRead(SATP));
        hart.privilege = PrivilegeMode.MACHINE;
        hart.raisedCause = null;
        run(Instructions.csrRead(SATP));
        assertNull(hart.raisedCause);
    }

    @Test
    void sstatusIsAWindowOntoMstatus() {
        hart.csrs[MSTATUS] = STATUS_MIE | STATUS_MPP | STATUS_TVM;
        run(Instructions.csrWrite(SSTATUS, -1L));
        long mstatus = hart.csrs[MSTATUS];
        assertEquals(STATUS_MIE | STATUS_MPP | STATUS_TVM, mstatus & (STATUS_MIE | STATUS_MPP | STATUS_TVM | STATUS_MPRV));
        assertEquals(STATUS_SIE | STATUS_SPIE | STATUS_SPP | STATUS_FS | STATUS_SUM | STATUS_MXR | STATUS_SD,
                mstatus & ~(STATUS_MIE | STATUS_MPP | STATUS_TVM));
        assertEquals(0, run(Instructions.csrRead(SSTATUS)) & (STATUS_MIE | STATUS_MPP | STATUS_TVM));
    }

    @Test
    void mstatusKeepsMppOnTheReservedEncodingAndSummarisesFs() {
        hart.csrs[MSTATUS] = 1L << MPP_SHIFT;
        run(Instructions.csrWrite(MSTATUS, 2L << MPP_SHIFT));
        assertEquals(1L << MPP_SHIFT, hart.csrs[MSTATUS] & STATUS_MPP);
        run(Instructions.csrWrite(MSTATUS, STATUS_FS));
        assertEquals(STATUS_FS | STATUS_SD, hart.csrs[MSTATUS]);
        run(Instructions.csrWrite(MSTATUS, 1L << 13));
        assertEquals(0, hart.csrs[MSTATUS] & STATUS_SD);
    }

    @Test
    void floatingPointCsrsAreViewsOfFcsrAndNeedTheFpu() {
        hart.csrs[MSTATUS] = 1L << 13;
        run(Instructions.csrWrite(FRM, 3));
        run(Instructions.csrWrite(FFLAGS, 0x15));
        assertEquals(3 << 5 | 0x15, hart.csrs[FCSR]);
        assertEquals(STATUS_FS | STATUS_SD, hart.csrs[MSTATUS] & (STATUS_FS | STATUS_SD), "writes make FS dirty");
        assertEquals(0x15, run(Instructions.csrRead(FFLAGS)));
        assertEquals(3, run(Instructions.csrRead(FRM)));
        hart.csrs[MSTATUS] = 0;
        assertIllegal(Instructions.csrRead(FCSR));
    }

    @Test
    void mipWritesChangeOnlySoftwareBitsAndKeepDeviceUpdates() {
        hart.setInterruptPending(Interrupt.MACHINE_EXTERNAL, true);
        hart.setInterruptPending(Interrupt.MACHINE_TIMER, true);
        run(Instructions.csrWrite(MIP, 1L << 1 | 1L << 5));
        assertEquals(1L << 11 | 1L << 7 | 1L << 1 | 1L << 5, hart.pending.get());
        run(Instructions.csr(3, MIP, 0, 5, -1L));
        assertEquals(1L << 11 | 1L << 7, hart.pending.get());
    }

    @Test
    void sipAndSieSeeOnlyDelegatedInterrupts() {
        hart.csrs[MIDELEG] = 1L << 1;
        hart.setInterruptPending(Interrupt.SUPERVISOR_TIMER, true);
        run(Instructions.csrWrite(SIP, -1L));
        assertEquals(1L << 1 | 1L << 5, hart.pending.get());
        assertEquals(1L << 1, run(Instructions.csrRead(SIP)));
        run(Instructions.csrWrite(SIE, -1L));
        assertEquals(1L << 1, hart.csrs[MIE]);
    }

    @Test
    void warlFieldsKeepOnlyLegalValues() {
        run(Instructions.csrWrite(MEDELEG, -1L));
        assertEquals(0xB3FF, hart.csrs[MEDELEG], "ECALL from M and reserved causes are not delegable");
        run(Instructions.csrWrite(MIDELEG, -1L));
        assertEquals(0x222, hart.csrs[MIDELEG]);
        run(Instructions.csrWrite(MTVEC, 0x8000_0102L));
        assertEquals(0x8000_0100L, hart.csrs[MTVEC], "reserved mode 2 falls back to direct");
        run(Instructions.csrWrite(STVEC, 0x8000_0101L));
        assertEquals(0x8000_0101L, hart.csrs[STVEC]);
        run(Instructions.csrWrite(MEPC, 0x8000_0003L));
        assertEquals(0x8000_0002L, hart.csrs[MEPC]);
    }
}
