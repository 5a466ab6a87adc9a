package io.pogo.cpu;

import io.pogo.api.cpu.PrivilegeMode;
import io.pogo.cpu.jit.CodeBudget;
import io.pogo.cpu.jit.JitMode;
import io.pogo.cpu.jit.RegionCompiler;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** PAUSE (Zihintpause) in a spin loop: it orders nothing and changes no register, interpreted or compiled. */
class PauseTest {
    private static final int A0 = 10;
    private static final int A1 = 11;
    private static final int PAUSE = 0x0100_000F;

    @ParameterizedTest
    @EnumSource(value = JitMode.class, names = {"OFF", "EAGER"})
    void spinLoopWithPauseCountsToItsLimit(JitMode mode) {
        TestMachine machine = new TestMachine(new Rv64VCpuFactory(CodeBudget.DEFAULT_LIMIT, mode), 1, 1 << 20,
                TestMachine.RAM_BASE, PrivilegeMode.MACHINE, false);
        int loop = 1 << 20 | A0 << 15 | A0 << 7 | 0x13;                      // addi a0, a0, 1
        int branchBack = 0b1111111 << 25 | A1 << 20 | A0 << 15 | 0b100 << 12 | 0b11001 << 7 | 0x63; // blt a0, a1, -8
        int spin = 0x6F;                                                      // j . (the loop is over)
        machine.memory.storeInts(TestMachine.RAM_BASE, loop, PAUSE, branchBack, spin);
        machine.hart().setRegister(A1, 3 * RegionCompiler.THRESHOLD);
        machine.vcpu.run(20 * RegionCompiler.THRESHOLD);
        assertEquals(3 * RegionCompiler.THRESHOLD, machine.hart().register(A0));
        assertEquals(TestMachine.RAM_BASE + 12, machine.hart().pc());
    }
}
