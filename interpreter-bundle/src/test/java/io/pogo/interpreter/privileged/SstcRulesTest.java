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

/** Sstc and the environment configuration registers, as QEMU 7.2 has them. */
class SstcRulesTest {
    private final CsrAccessRoutine routine = new CsrAccessRoutine();
    private final FakeHart hart = new FakeHart();
    private final FakeVm vm = new FakeVm();

    private long run(Exit exit) {
        hart.raisedCause = null;
        return routine.handle(exit, hart, vm);
    }

    private void assertLegal(Exit exit) {
        run(exit);
        assertNull(hart.raisedCause);
    }

    private void assertIllegal(Exit exit) {
        run(exit);
        assertEquals(ExceptionCause.ILLEGAL_INSTRUCTION, hart.raisedCause);
    }

    @Test
    void stimecmpArmsTheSupervisorTimer() {
        assertLegal(Instructions.csrWrite(STIMECMP, 0x1000));
        assertEquals(new FakeVm.ArmedTimer(0, Interrupt.SUPERVISOR_TIMER, 0x1000), vm.armed);
        assertEquals(0x1000, run(Instructions.csrRead(STIMECMP)));
    }

    @Test
    void belowMachineModeStimecmpNeedsStceAndTm() {
        hart.privilege = PrivilegeMode.SUPERVISOR;
        hart.csrs[MCOUNTEREN] = COUNTEREN_TM;
        assertIllegal(Instructions.csrRead(STIMECMP));
        hart.csrs[MENVCFG] = ENVCFG_STCE;
        hart.csrs[MCOUNTEREN] = 0;
        assertIllegal(Instructions.csrWrite(STIMECMP, 5));
        hart.csrs[MCOUNTEREN] = COUNTEREN_TM;
        assertLegal(Instructions.csrWrite(STIMECMP, 5));
        assertEquals(5, vm.armed.deadline());
        hart.privilege = PrivilegeMode.USER;
        hart.csrs[SCOUNTEREN] = -1L;
        assertIllegal(Instructions.csrRead(STIMECMP));
    }

    @Test
    void whileStceIsSetSoftwareCannotWriteStip() {
        hart.csrs[MENVCFG] = ENVCFG_STCE;
        run(Instructions.csrWrite(MIP, SUPERVISOR_TIMER_PENDING | 1L << 1));
        assertEquals(1L << 1, hart.pending.get());
        hart.setInterruptPending(Interrupt.SUPERVISOR_TIMER, true);
        run(Instructions.csr(3, MIP, 0, 5, -1L));
        assertEquals(SUPERVISOR_TIMER_PENDING, hart.pending.get());
        hart.csrs[MENVCFG] = 0;
        run(Instructions.csr(3, MIP, 0, 5, -1L));
        assertEquals(0, hart.pending.get());
    }

    @Test
    void envcfgKeepsTheBitsQemuKeeps() {
        run(Instructions.csrWrite(MENVCFG, -1L));
        assertEquals(ENVCFG_STCE | 1L << 62 | 0xF1, hart.csrs[MENVCFG]);
        run(Instructions.csrWrite(SENVCFG, -1L));
        assertEquals(0xF1, hart.csrs[SENVCFG]);
        hart.privilege = PrivilegeMode.SUPERVISOR;
        assertIllegal(Instructions.csrRead(MENVCFG));
        assertLegal(Instructions.csrRead(SENVCFG));
    }
}
