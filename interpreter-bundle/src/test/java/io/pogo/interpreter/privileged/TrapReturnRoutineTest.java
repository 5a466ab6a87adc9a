package io.pogo.interpreter.privileged;

import io.pogo.api.cpu.ExceptionCause;
import io.pogo.api.cpu.ExitKind;
import io.pogo.api.cpu.PrivilegeMode;
import org.junit.jupiter.api.Test;

import static io.pogo.api.cpu.CsrAddress.*;
import static io.pogo.interpreter.privileged.Csrs.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class TrapReturnRoutineTest {
    private final TrapReturnRoutine routine = new TrapReturnRoutine();
    private final FakeHart hart = new FakeHart();
    private final FakeVm vm = new FakeVm();

    @Test
    void mretPopsTheMachineStackAndLeavesMprvBelowMachineMode() {
        hart.csrs[MSTATUS] = STATUS_MPIE | 1L << MPP_SHIFT | STATUS_MPRV;
        hart.csrs[MEPC] = 0x8020_0000L;
        routine.handle(Instructions.system(ExitKind.MRET, Instructions.MRET), hart, vm);
        assertNull(hart.raisedCause);
        assertEquals(PrivilegeMode.SUPERVISOR, hart.privilege);
        assertEquals(0x8020_0000L, hart.pc);
        assertEquals(STATUS_MIE | STATUS_MPIE, hart.csrs[MSTATUS], "MIE = MPIE, MPIE = 1, MPP = U, MPRV = 0");
    }

    @Test
    void mretToMachineModeKeepsMprv() {
        hart.csrs[MSTATUS] = STATUS_MPP | STATUS_MPRV;
        routine.handle(Instructions.system(ExitKind.MRET, Instructions.MRET), hart, vm);
        assertEquals(PrivilegeMode.MACHINE, hart.privilege);
        assertEquals(STATUS_MPIE | STATUS_MPRV, hart.csrs[MSTATUS]);
    }

    @Test
    void mretBelowMachineModeIsIllegal() {
        hart.privilege = PrivilegeMode.SUPERVISOR;
        routine.handle(Instructions.system(ExitKind.MRET, Instructions.MRET), hart, vm);
        assertEquals(ExceptionCause.ILLEGAL_INSTRUCTION, hart.raisedCause);
        assertEquals(Instructions.MRET, hart.raisedTval);
        assertEquals(PrivilegeMode.SUPERVISOR, hart.privilege);
    }

    @Test
    void sretPopsTheSupervisorStack() {
        hart.privilege = PrivilegeMode.SUPERVISOR;
        hart.csrs[MSTATUS] = STATUS_SPIE | STATUS_MPRV;
        hart.csrs[SEPC] = 0x1000;
        routine.handle(Instructions.system(ExitKind.SRET, Instructions.SRET), hart, vm);
        assertNull(hart.raisedCause);
        assertEquals(PrivilegeMode.USER, hart.privilege);
        assertEquals(0x1000, hart.pc);
        assertEquals(STATUS_SIE | STATUS_SPIE, hart.csrs[MSTATUS]);
        hart.csrs[MSTATUS] = STATUS_SPP;
        hart.privilege = PrivilegeMode.MACHINE;
        routine.handle(Instructions.system(ExitKind.SRET, Instructions.SRET), hart, vm);
        assertEquals(PrivilegeMode.SUPERVISOR, hart.privilege);
        assertEquals(STATUS_SPIE, hart.csrs[MSTATUS]);
    }

    @Test
    void sretIsIllegalInUserModeAndUnderTsr() {
        hart.privilege = PrivilegeMode.USER;
        routine.handle(Instructions.system(ExitKind.SRET, Instructions.SRET), hart, vm);
        assertEquals(ExceptionCause.ILLEGAL_INSTRUCTION, hart.raisedCause);
        hart.raisedCause = null;
        hart.privilege = PrivilegeMode.SUPERVISOR;
        hart.csrs[MSTATUS] = STATUS_TSR;
        routine.handle(Instructions.system(ExitKind.SRET, Instructions.SRET), hart, vm);
        assertEquals(ExceptionCause.ILLEGAL_INSTRUCTION, hart.raisedCause);
        assertEquals(Instructions.SRET, hart.raisedTval);
        hart.raisedCause = null;
        hart.privilege = PrivilegeMode.MACHINE;
        routine.handle(Instructions.system(ExitKind.SRET, Instructions.SRET), hart, vm);
        assertNull(hart.raisedCause, "TSR does not apply to M-mode");
    }
}
