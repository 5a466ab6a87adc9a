package io.pogo.cpu;

import io.pogo.api.cpu.PrivilegeMode;
import io.pogo.cpu.jit.CodeBudget;
import io.pogo.cpu.jit.JitMode;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Where QEMU 7.2 is no oracle for the bit-manipulation extensions, so guests/isa cannot check it: its CTZW counts
 * on into the upper word when the lower one is zero (fixed in QEMU 8.0). The spec counts the lower word only.
 */
class BitManipTest {
    private static final int A0 = 10;
    private static final int A1 = 11;
    private static final int CTZW_A0_A1 = 0x6015951B;
    private static final int JUMP_BACK_4 = 0xFFDFF06F;

    @Test
    void ctzwOfAZeroLowerWordIs32InterpretedAndCompiled() {
        TestMachine machine = new TestMachine(new Rv64VCpuFactory(CodeBudget.DEFAULT_LIMIT, JitMode.EAGER), 1,
                1 << 20, TestMachine.RAM_BASE, PrivilegeMode.MACHINE, false);
        machine.memory.storeInts(TestMachine.RAM_BASE, CTZW_A0_A1, JUMP_BACK_4);
        machine.hart().setRegister(A1, 0x8000_0000_0000_0000L);
        machine.vcpu.run(1);
        assertEquals(32, machine.hart().register(A0), "interpreted");
        machine.vcpu.run(1_000);
        machine.hart().setRegister(A0, 0);
        machine.vcpu.run(100);
        assertEquals(32, machine.hart().register(A0), "compiled");
    }
}
