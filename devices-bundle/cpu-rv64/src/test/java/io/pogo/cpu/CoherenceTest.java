package io.pogo.cpu;

import io.pogo.api.cpu.PrivilegeMode;
import io.pogo.cpu.decode.Amo;
import io.pogo.cpu.jit.RegionCompiler;
import io.pogo.cpu.mmu.AtomicMemory;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Code and data coherence between harts and devices: remote FENCE.I, and LR/SC against other harts' atomics. */
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

    /** A machine whose hart runs {@code a0 = 1} in a loop long enough for the loop to be compiled. */
    private static TestMachine compiledLoop() {
        TestMachine machine = new TestMachine(1 << 20, TestMachine.RAM_BASE, PrivilegeMode.MACHINE, false);
        machine.memory.storeInts(TestMachine.RAM_BASE, addiA0(1), JUMP_BACK_4);
        machine.vcpu.run(4 * RegionCompiler.THRESHOLD);
        assertEquals(1, machine.hart().register(A0), "the loop ran long enough to be compiled");
        return machine;
    }

    /** Rewrites the loop's first instruction, as a device's DMA would, to set {@code a0 = 2}. */
    private static void patchToAddTwo(TestMachine machine) {
        byte[] patched = {(byte) addiA0(2), (byte) (addiA0(2) >>> 8), (byte) (addiA0(2) >>> 16), (byte) (addiA0(2) >>> 24)};
        machine.memory.write(TestMachine.RAM_BASE, patched, 0, 4);
    }

    @Test
    void scFailsAfterOtherHartsWroteTheReservedValueBack() {
        MemorySegment ram = Arena.ofAuto().allocate(64, 8);
        ram.set(ValueLayout.JAVA_LONG, 8, 5);
        AtomicMemory atomics = new AtomicMemory(ram);
        AtomicMemory.Reservation first = new AtomicMemory.Reservation();
        assertEquals(5, atomics.loadReserved(8, 3, first));
        atomics.readModifyWrite(8, 3, Amo.SWAP, 6);
        atomics.readModifyWrite(8, 3, Amo.SWAP, 5);
        assertFalse(atomics.storeConditional(8, 3, 7, first), "A-B-A by another hart breaks the reservation");
        assertEquals(5, ram.get(ValueLayout.JAVA_LONG, 8));
        assertEquals(5, atomics.loadReserved(8, 3, first));
        assertTrue(atomics.storeConditional(8, 3, 7, first));
        assertEquals(7, ram.get(ValueLayout.JAVA_LONG, 8));
    }

    @Test
    void scFailsAfterAPlainStoreOfAnotherValue() {
        MemorySegment ram = Arena.ofAuto().allocate(64, 8);
        AtomicMemory atomics = new AtomicMemory(ram);
        AtomicMemory.Reservation reservation = new AtomicMemory.Reservation();
        atomics.loadReserved(16, 2, reservation);
        ram.set(ValueLayout.JAVA_INT, 16, 9);
        assertFalse(atomics.storeConditional(16, 2, 1, reservation));
        assertEquals(9, ram.get(ValueLayout.JAVA_INT, 16));
    }
}
