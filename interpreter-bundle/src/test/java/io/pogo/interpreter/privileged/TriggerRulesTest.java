package io.pogo.interpreter.privileged;

import io.pogo.api.cpu.AddressTrigger;
import io.pogo.api.cpu.ExceptionCause;
import io.pogo.api.cpu.Exit;
import io.pogo.api.cpu.MemoryAccess;
import io.pogo.api.cpu.PrivilegeMode;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static io.pogo.api.cpu.CsrAddress.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The trigger module's CSRs, as QEMU 7.2 has them, and the triggers they arm on the hart. */
class TriggerRulesTest {
    private static final long TYPE2 = 2L << 60;
    private static final long TYPE6 = 6L << 60;
    private static final long LOAD = 1;
    private static final long EXECUTE = 4;
    private static final long SUPERVISOR = 1 << 4;
    private static final long MACHINE = 1 << 6;

    private final CsrAccessRoutine routine = new CsrAccessRoutine();
    private final FakeHart hart = new FakeHart();
    private final FakeVm vm = new FakeVm();

    private long run(Exit exit) {
        hart.raisedCause = null;
        return routine.handle(exit, hart, vm);
    }

    private void assertIllegal(Exit exit) {
        run(exit);
        assertEquals(ExceptionCause.ILLEGAL_INSTRUCTION, hart.raisedCause);
    }

    @Test
    void tselectNamesOneOfTheHartsTriggers() {
        run(Instructions.csrWrite(TSELECT, 1));
        assertEquals(1, run(Instructions.csrRead(TSELECT)));
        run(Instructions.csrWrite(TSELECT, FakeHart.TRIGGERS));
        assertEquals(1, run(Instructions.csrRead(TSELECT)));
        run(Instructions.csrWrite(TSELECT, -1L));
        assertEquals(1, hart.csrs[TSELECT]);
        assertEquals(1 << 2 | 1 << 6, run(Instructions.csrRead(TINFO)));
        run(Instructions.csrWrite(TINFO, 0));
        assertEquals(1 << 2 | 1 << 6, run(Instructions.csrRead(TINFO)));
        run(Instructions.csrWrite(TDATA3, -1L));
        assertEquals(0, run(Instructions.csrRead(TDATA3)));
        hart.privilege = PrivilegeMode.SUPERVISOR;
        assertIllegal(Instructions.csrRead(TSELECT));
    }

    @Test
    void tdata1KeepsOnlyWhatAnAddressMatchTriggerOfType2Or6Uses() {
        hart.triggerControl[0] = TYPE2;
        run(Instructions.csrWrite(TDATA1, 0));
        assertEquals(TYPE2, hart.triggerControl[0], "type 0 is ignored");
        run(Instructions.csrWrite(TDATA1, 3L << 60 | 0x7F));
        assertEquals(TYPE2, hart.triggerControl[0], "so is type 3");
        run(Instructions.csrWrite(TDATA1, TYPE2 | -1L >>> 4));
        assertEquals(TYPE2 | 0x5F, hart.triggerControl[0], "no dmode, match, chain, action, timing, select, hit");
        run(Instructions.csrWrite(TDATA1, TYPE2 | 1L << 21));
        assertEquals(TYPE2, hart.triggerControl[0], "six bytes is no size QEMU supports");
        run(Instructions.csrWrite(TDATA1, TYPE2 | 1L << 21 | 1L << 16));
        assertEquals(TYPE2 | 1L << 21 | 1L << 16, hart.triggerControl[0]);
        run(Instructions.csrWrite(TDATA1, TYPE6 | -1L >>> 4));
        assertEquals(TYPE6 | 3L << 23 | 0x5F, hart.triggerControl[0], "mcontrol6 keeps VS and VU too");
        run(Instructions.csrWrite(TDATA1, TYPE6 | 3L << 16));
        assertEquals(TYPE6 | 3L << 16, hart.triggerControl[0]);
    }

    @Test
    void everyChangeRearmsTheSelectedTrigger() {
        run(Instructions.csrWrite(TSELECT, 1));
        run(Instructions.csrWrite(TDATA2, 0x8000_1000L));
        run(Instructions.csrWrite(TDATA1, TYPE2 | MACHINE | SUPERVISOR | EXECUTE | LOAD));
        assertEquals(new AddressTrigger(0x8000_1000L, 8, Set.of(MemoryAccess.EXECUTE, MemoryAccess.LOAD),
                Set.of(PrivilegeMode.MACHINE, PrivilegeMode.SUPERVISOR)), hart.armed[1]);
        run(Instructions.csrWrite(TDATA2, 0x8000_2000L));
        assertEquals(0x8000_2000L, hart.armed[1].address());
        run(Instructions.csrWrite(TDATA1, TYPE6 | MACHINE | LOAD | 3L << 16));
        assertEquals(new AddressTrigger(0x8000_2000L, 4, Set.of(MemoryAccess.LOAD), Set.of(PrivilegeMode.MACHINE)),
                hart.armed[1]);
        run(Instructions.csrWrite(TDATA1, TYPE2 | LOAD));
        assertNull(hart.armed[1], "enabled in no mode");
        assertNull(hart.armed[0]);
    }

    @Test
    void aTriggerTheDebuggerHoldsIgnoresTheGuestsWrites() {
        long debuggers = TYPE2 | 1L << 59 | 1L << 12 | MACHINE | EXECUTE;
        hart.triggerControl[0] = debuggers;
        hart.triggerAddress[0] = 0x8000_0400L;
        run(Instructions.csrWrite(TDATA1, TYPE2 | MACHINE | LOAD));
        run(Instructions.csrWrite(TDATA2, 0x8000_2000L));
        assertEquals(debuggers, run(Instructions.csrRead(TDATA1)));
        assertEquals(0x8000_0400L, run(Instructions.csrRead(TDATA2)));
        assertNull(hart.armed[0], "nothing re-armed");
    }
}
