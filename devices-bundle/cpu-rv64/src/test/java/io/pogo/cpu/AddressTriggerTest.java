package io.pogo.cpu;

import io.pogo.api.cpu.AddressTrigger;
import io.pogo.api.cpu.CsrAddress;
import io.pogo.api.cpu.MemoryAccess;
import io.pogo.api.cpu.PrivilegeMode;
import io.pogo.cpu.debug.Triggers;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Triggers armed through the hart's API, as a debugger would arm them: a breakpoint exception before the
 * instruction or access, with the matching address as its trap value (QEMU 7.2 writes zero there, which the guest
 * test isa-debug therefore accepts too).
 */
class AddressTriggerTest {
    private static final long BASE = TestMachine.RAM_BASE;
    private static final long HANDLER = BASE + 0x100;
    private static final long DATA = BASE + 0x200;
    private static final int A0 = 10;
    private static final int A1 = 11;
    private static final int A2 = 12;
    private static final int JUMP_TO_SELF = 0x0000006F;
    private static final int ADDI_A0_1 = 0x00100513;
    private static final int LD_A1_4_A2 = 0x00463583;

    /** addi a0, zero, 1; ld a1, 4(a2) with a2 = DATA; then a loop; traps go to a loop at HANDLER. */
    private static TestMachine loadProgram() {
        TestMachine machine = new TestMachine(1 << 20, BASE, PrivilegeMode.MACHINE, false);
        machine.memory.storeInts(BASE, ADDI_A0_1, LD_A1_4_A2, JUMP_TO_SELF);
        machine.memory.storeInts(HANDLER, JUMP_TO_SELF);
        machine.hart().writeCsr(CsrAddress.MTVEC, HANDLER);
        machine.hart().setRegister(A2, DATA);
        machine.memory.store(DATA + 4, 8, 0x1234);
        return machine;
    }

    @Test
    void anExecuteTriggerTrapsBeforeTheInstructionWithItsAddressAsTrapValue() {
        TestMachine machine = loadProgram();
        machine.hart().armTrigger(1, new AddressTrigger(BASE + 4, 8, Set.of(MemoryAccess.EXECUTE),
                Set.of(PrivilegeMode.MACHINE)));
        machine.vcpu.run(10);
        assertEquals(HANDLER, machine.hart().pc());
        assertEquals(3, machine.hart().readCsr(CsrAddress.MCAUSE));
        assertEquals(BASE + 4, machine.hart().readCsr(CsrAddress.MEPC));
        assertEquals(BASE + 4, machine.hart().readCsr(CsrAddress.MTVAL));
        assertEquals(1, machine.hart().register(A0));
        assertEquals(0, machine.hart().register(A1), "the load never ran");
    }

    @Test
    void aLoadTriggerTrapsBeforeAnOverlappingAccessWithTheAccessAddressAsTrapValue() {
        TestMachine machine = loadProgram();
        machine.hart().armTrigger(0, new AddressTrigger(DATA + 8, 2, Set.of(MemoryAccess.LOAD, MemoryAccess.STORE),
                Set.of(PrivilegeMode.MACHINE)));
        machine.vcpu.run(10);
        assertEquals(3, machine.hart().readCsr(CsrAddress.MCAUSE));
        assertEquals(BASE + 4, machine.hart().readCsr(CsrAddress.MEPC));
        assertEquals(DATA + 4, machine.hart().readCsr(CsrAddress.MTVAL));
        assertEquals(0, machine.hart().register(A1));
    }

    @Test
    void triggersFireOnlyInTheirModesAndNotOnceDisarmed() {
        TestMachine machine = loadProgram();
        machine.hart().armTrigger(0, new AddressTrigger(DATA + 4, 8, Set.of(MemoryAccess.LOAD),
                Set.of(PrivilegeMode.SUPERVISOR, PrivilegeMode.USER)));
        machine.hart().armTrigger(1, new AddressTrigger(BASE, 4, Set.of(MemoryAccess.EXECUTE),
                Set.of(PrivilegeMode.MACHINE)));
        machine.hart().disarmTrigger(1);
        machine.vcpu.run(10);
        assertEquals(BASE + 8, machine.hart().pc());
        assertEquals(0x1234, machine.hart().register(A1));
        assertEquals(0, machine.hart().readCsr(CsrAddress.MCAUSE));
    }
}
