package io.pogo.interpreter.privileged;

import io.pogo.api.cpu.ExceptionCause;
import io.pogo.api.cpu.ExitKind;
import io.pogo.api.cpu.PrivilegeMode;
import org.junit.jupiter.api.Test;

import static io.pogo.api.cpu.CsrAddress.*;
import static io.pogo.interpreter.privileged.Csrs.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class FenceVmaRoutineTest {
    private final FenceVmaRoutine fence = new FenceVmaRoutine();
    private final FakeHart hart = new FakeHart();
    private final FakeVm vm = new FakeVm();

    @Test
    void sfenceVmaFlushesWhatItsOperandsName() {
        hart.privilege = PrivilegeMode.SUPERVISOR;
        fence.handle(Instructions.sfenceVma(10, 11, 0x4000_1000L, 7), hart, vm);
        assertEquals(0x4000_1000L, hart.flushedAddress);
        assertEquals(7, hart.flushedAsid);
        fence.handle(Instructions.sfenceVma(0, 11, 0, 7), hart, vm);
        assertEquals(-1, hart.flushedAddress, "rs1 = x0: every address");
        assertEquals(7, hart.flushedAsid);
        fence.handle(Instructions.sfenceVma(10, 0, 0x4000_1000L, 0), hart, vm);
        assertEquals(-1, hart.flushedAsid, "rs2 = x0: every address space");
        assertNull(hart.raisedCause);
    }

    @Test
    void sfenceVmaIsIllegalInUserModeAndUnderTvm() {
        hart.privilege = PrivilegeMode.USER;
        fence.handle(Instructions.sfenceVma(0, 0, 0, 0), hart, vm);
        assertEquals(ExceptionCause.ILLEGAL_INSTRUCTION, hart.raisedCause);
        hart.raisedCause = null;
        hart.privilege = PrivilegeMode.SUPERVISOR;
        hart.csrs[MSTATUS] = STATUS_TVM;
        fence.handle(Instructions.sfenceVma(0, 0, 0, 0), hart, vm);
        assertEquals(ExceptionCause.ILLEGAL_INSTRUCTION, hart.raisedCause);
        assertEquals(Long.MIN_VALUE, hart.flushedAddress, "nothing was flushed");
    }
}
