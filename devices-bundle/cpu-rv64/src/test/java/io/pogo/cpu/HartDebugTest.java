package io.pogo.cpu;

import io.pogo.api.cpu.AddressTrigger;
import io.pogo.api.cpu.CsrAddress;
import io.pogo.api.cpu.DebugStop;
import io.pogo.api.cpu.Interrupt;
import io.pogo.api.cpu.MemoryAccess;
import io.pogo.api.cpu.PrivilegeMode;
import io.pogo.api.cpu.RunOutcome;
import io.pogo.api.cpu.TriggerAction;
import org.junit.jupiter.api.Test;

import java.util.OptionalLong;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The hart as a debugger drives it: software breakpoints (also in code the JIT compiled before they were set),
 * single steps, triggers armed to stop for the debugger, and the debugger's own address translation.
 */
class HartDebugTest {
    private static final long BASE = TestMachine.RAM_BASE;
    private static final long HANDLER = BASE + 0x100;
    private static final long DATA = BASE + 0x200;
    private static final long TABLE = BASE + 0x1000;
    private static final int A0 = 10;
    private static final int A1 = 11;
    private static final int A2 = 12;
    private static final Set<PrivilegeMode> EVERY_MODE = Set.of(PrivilegeMode.values());

    /** loop: addi a0, a0, 1; bne a0, a1, loop; sw a0, 0(a2); ecall; wfi; j . — traps go to a loop at HANDLER. */
    private static TestMachine loadProgram(long iterations) {
        TestMachine machine = new TestMachine(1 << 20, BASE, PrivilegeMode.MACHINE, false);
        machine.memory.storeInts(BASE, 0x00150513, 0xfeb51ee3, 0x00a62023, 0x00000073, 0x10500073, 0x0000006f);
        machine.memory.storeInts(HANDLER, 0x0000006f);
        machine.hart().writeCsr(CsrAddress.MTVEC, HANDLER);
        machine.hart().setRegister(A1, iterations);
        machine.hart().setRegister(A2, DATA);
        return machine;
    }

    @Test
    void aBreakpointStopsAHotCompiledLoopBeforeTheInstructionAndStepsGoOneAtATime() {
        TestMachine machine = loadProgram(1L << 40);
        assertEquals(RunOutcome.BUDGET_SPENT, machine.vcpu.run(200_000));
        machine.vcpu.debug().insertBreakpoint(BASE + 4);
        assertEquals(RunOutcome.STOPPED_FOR_DEBUGGER, machine.vcpu.run(1_000_000));
        assertEquals(BASE + 4, machine.hart().pc());
        assertEquals(new DebugStop.Breakpoint(BASE + 4), machine.vcpu.debug().stopReason());
        long counted = machine.hart().register(A0);
        assertTrue(counted > 50_000, "the loop ran compiled before: " + counted);

        machine.vcpu.debug().requestStep();
        assertEquals(RunOutcome.STOPPED_FOR_DEBUGGER, machine.vcpu.run(1_000_000));
        assertEquals(new DebugStop.Stepped(), machine.vcpu.debug().stopReason());
        assertEquals(BASE, machine.hart().pc(), "the branch was taken, despite the breakpoint on it");
        machine.vcpu.debug().requestStep();
        machine.vcpu.run(1_000_000);
        assertEquals(BASE + 4, machine.hart().pc());
        assertEquals(counted + 1, machine.hart().register(A0));

        assertEquals(RunOutcome.STOPPED_FOR_DEBUGGER, machine.vcpu.run(1_000_000), "the breakpoint is still there");
        machine.vcpu.debug().removeBreakpoint(BASE + 4);
        assertEquals(RunOutcome.BUDGET_SPENT, machine.vcpu.run(1_000));
        assertTrue(machine.hart().register(A0) > counted + 400);
    }

    @Test
    void aStepTakesNoInterruptButTheNextRunDoes() {
        TestMachine machine = loadProgram(1L << 40);
        machine.hart().writeCsr(CsrAddress.MIE, 1L << Interrupt.MACHINE_TIMER.bit());
        machine.hart().writeCsr(CsrAddress.MSTATUS, machine.hart().readCsr(CsrAddress.MSTATUS) | 1 << 3);
        machine.hart().setInterruptPending(Interrupt.MACHINE_TIMER, true);
        machine.vcpu.debug().requestStep();
        assertEquals(RunOutcome.STOPPED_FOR_DEBUGGER, machine.vcpu.run(1_000));
        assertEquals(BASE + 4, machine.hart().pc());
        assertEquals(1, machine.hart().register(A0));
        machine.vcpu.run(1);
        assertEquals(HANDLER, machine.hart().pc());
        assertEquals(1L << 63 | Interrupt.MACHINE_TIMER.bit(), machine.hart().readCsr(CsrAddress.MCAUSE));
    }

    @Test
    void aStepOfAnInstructionThatTrapsStopsAtTheHandler() {
        TestMachine machine = loadProgram(1);
        machine.hart().setPc(BASE + 0xc);
        machine.vcpu.debug().requestStep();
        assertEquals(RunOutcome.STOPPED_FOR_DEBUGGER, machine.vcpu.run(1_000));
        assertEquals(HANDLER, machine.hart().pc());
        assertEquals(11, machine.hart().readCsr(CsrAddress.MCAUSE));
    }

    @Test
    void aTriggerForTheDebuggerStopsBeforeTheStoreAndTheGuestSeesNothing() {
        TestMachine machine = loadProgram(1);
        machine.hart().armTrigger(0, new AddressTrigger(DATA, 4, Set.of(MemoryAccess.STORE), EVERY_MODE,
                TriggerAction.STOP_FOR_DEBUGGER));
        assertEquals(RunOutcome.STOPPED_FOR_DEBUGGER, machine.vcpu.run(100));
        assertEquals(new DebugStop.Watchpoint(0, DATA, MemoryAccess.STORE), machine.vcpu.debug().stopReason());
        assertEquals(BASE + 8, machine.hart().pc());
        assertEquals(0, machine.memory.load(DATA, 4), "the store has not happened");
        assertEquals(0, machine.hart().readCsr(CsrAddress.MCAUSE));
        assertEquals(2, machine.hart().instructionsRetired());

        machine.hart().disarmTrigger(0);
        machine.vcpu.debug().requestStep();
        machine.vcpu.run(100);
        assertEquals(1, machine.memory.load(DATA, 4));
        assertEquals(BASE + 0xc, machine.hart().pc());
    }

    @Test
    void clearTakesTheDebuggersBreakpointsAndTriggersAndLeavesTheGuestsOwn() {
        TestMachine machine = loadProgram(1);
        machine.vcpu.debug().insertBreakpoint(BASE + 4);
        machine.hart().armTrigger(0, new AddressTrigger(DATA, 4, Set.of(MemoryAccess.STORE), EVERY_MODE,
                TriggerAction.STOP_FOR_DEBUGGER));
        machine.hart().armTrigger(1, new AddressTrigger(BASE + 0xc, 4, Set.of(MemoryAccess.EXECUTE), EVERY_MODE));
        machine.vcpu.debug().clear();
        machine.vcpu.run(100);
        assertEquals(HANDLER, machine.hart().pc());
        assertEquals(3, machine.hart().readCsr(CsrAddress.MCAUSE), "the guest's trigger fired");
        assertEquals(1, machine.memory.load(DATA, 4));
    }

    @Test
    void translationSeesThroughTheGuestsPageTablesWithoutTouchingThem() {
        TestMachine machine = loadProgram(1);
        long leaf = (BASE >>> 12) << 10 | 0xF;
        machine.memory.store(TABLE + 8, 8, leaf);
        machine.hart().writeCsr(CsrAddress.SATP, 8L << 60 | TABLE >>> 12);
        machine.hart().setPrivilege(PrivilegeMode.SUPERVISOR);
        assertEquals(OptionalLong.of(BASE + 0x123), machine.vcpu.debug().translate(0x4000_0123L));
        assertEquals(OptionalLong.empty(), machine.vcpu.debug().translate(0x123));
        assertEquals(leaf, machine.memory.load(TABLE + 8, 8), "no accessed bit set");
        machine.hart().setPrivilege(PrivilegeMode.MACHINE);
        assertEquals(OptionalLong.of(0x123), machine.vcpu.debug().translate(0x123));
    }
}
