package io.pogo.cpu;

import io.pogo.api.cpu.PrivilegeMode;
import io.pogo.cpu.jit.CodeBudget;
import io.pogo.cpu.jit.JitMode;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Code coherence between harts and devices: what a remote FENCE.I drops and keeps after DMA wrote code or data. */
class CoherenceTest {
    private static final int A0 = 10;

    private static int addiA0(int value) {
        return value << 20 | A0 << 7 | 0x13;
    }

    private static final int JUMP_BACK_4 = 0xFFDFF06F;

    @Test
    void remoteFenceMakesCodeWrittenByDmaVisible() {
        TestMachine machine = compiledLoop();
        patchToAddTwo(machine);
        machine.hart().fenceInstructions();
        machine.vcpu.run(100);
        assertEquals(2, machine.hart().register(A0));
    }

    @Test
    void fenceKeepsCodeWhosePageOnlyHadDataWritten() {
        TestMachine machine = compiledLoop();
        long charged = machine.vcpu.codeCache().usedBytes();
        machine.memory.write(TestMachine.RAM_BASE + 0x800, new byte[] {1, 2, 3}, 0, 3);
        machine.hart().fenceInstructions();
        machine.vcpu.run(100);
        assertEquals(1, machine.hart().register(A0));
        assertEquals(charged, machine.vcpu.codeCache().usedBytes(), "the loop's code and region were kept");
    }

    @Test
    void fenceAfterDataBesideCodeStillSeesTheCodeRewritten() {
        TestMachine machine = compiledLoop();
        machine.memory.write(TestMachine.RAM_BASE + 0x800, new byte[] {1, 2, 3}, 0, 3);
        machine.hart().fenceInstructions();
        machine.vcpu.run(100);
        patchToAddTwo(machine);
        machine.hart().fenceInstructions();
        machine.vcpu.run(100);
        assertEquals(2, machine.hart().register(A0));
    }

    /**
     * A machine whose hart runs {@code a0 = 1} in a compiled loop: compiled at its first run on the hart's own
     * thread, so that no region the background compiler finishes later changes what the tests count.
     */
    private static TestMachine compiledLoop() {
        TestMachine machine = new TestMachine(new Rv64VCpuFactory(CodeBudget.DEFAULT_LIMIT, JitMode.EAGER), 1,
                1 << 20, TestMachine.RAM_BASE, PrivilegeMode.MACHINE, false);
        machine.memory.storeInts(TestMachine.RAM_BASE, addiA0(1), JUMP_BACK_4);
        machine.vcpu.run(1_000);
        assertEquals(1, machine.hart().register(A0));
        return machine;
    }

    /** Rewrites the loop's first instruction, as a device's DMA would, to set {@code a0 = 2}. */
    private static void patchToAddTwo(TestMachine machine) {
        byte[] patched = {(byte) addiA0(2), (byte) (addiA0(2) >>> 8), (byte) (addiA0(2) >>> 16), (byte) (addiA0(2) >>> 24)};
        machine.memory.write(TestMachine.RAM_BASE, patched, 0, 4);
    }
}
