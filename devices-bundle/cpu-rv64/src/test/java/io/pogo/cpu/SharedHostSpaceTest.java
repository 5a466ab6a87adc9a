package io.pogo.cpu;

import io.pogo.api.cpu.CsrAddress;
import io.pogo.api.cpu.PrivilegeMode;
import io.pogo.cpu.jit.CodeBudget;
import io.pogo.cpu.jit.JitMode;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * VMs whose RAM are neighbouring slices of one host space, as the allocator carves them, with one CPU factory, so
 * they share compiled regions: a guest's loads and stores reach its own slice only, interpreted or compiled, and
 * leave the neighbours' RAM as it was; two VMs running the same code each work on their own RAM.
 */
class SharedHostSpaceTest {
    private static final long BASE = TestMachine.RAM_BASE;
    private static final int RAM_SIZE = 1 << 20;
    private static final long RAM_END = BASE + RAM_SIZE;
    private static final long HANDLER = BASE + 0x800;
    private static final long DATA = BASE + 0x2000;
    private static final int ITERATIONS = 64;
    private static final byte NEIGHBOUR = 0x5A;
    private static final long LOAD_ACCESS_FAULT = 5;
    private static final long STORE_ACCESS_FAULT = 7;

    private static final int T0 = 5;
    private static final int T1 = 6;
    private static final int A0 = 10;
    private static final int A1 = 11;
    private static final int A2 = 12;
    private static final int FENCE_I = 0x0000_100F;

    /** Three slices: the VM under test in the middle, a neighbour on either side. */
    private final MemorySegment space = Arena.ofShared().allocate(3L * RAM_SIZE, 4096);
    private final Rv64VCpuFactory factory = new Rv64VCpuFactory(CodeBudget.DEFAULT_LIMIT, JitMode.EAGER);

    private TestMachine vm(int slice) {
        TestMachine machine = new TestMachine(factory, new TestMemory(BASE, space, (long) slice * RAM_SIZE, RAM_SIZE),
                BASE, PrivilegeMode.MACHINE);
        machine.memory.storeInts(HANDLER, jal(0));
        machine.hart().writeCsr(CsrAddress.MTVEC, HANDLER);
        return machine;
    }

    private void fillNeighbours() {
        space.asSlice(0, RAM_SIZE).fill(NEIGHBOUR);
        space.asSlice(2L * RAM_SIZE, RAM_SIZE).fill(NEIGHBOUR);
    }

    private void assertNeighboursIntact() {
        for (long offset : new long[] {0, 2L * RAM_SIZE}) {
            for (long i = 0; i < RAM_SIZE; i++) {
                if (space.get(ValueLayout.JAVA_BYTE, offset + i) != NEIGHBOUR) {
                    throw new AssertionError("a neighbour's byte at host offset 0x%x changed".formatted(offset + i));
                }
            }
        }
    }

    @Test
    void compiledStoresRunningPastTheEndOfRamFaultThereAndLeaveTheNextVmsRamAlone() {
        fillNeighbours();
        TestMachine machine = vm(1);
        machine.memory.storeInts(BASE,
                store(T1, T0),
                addi(T0, T0, 8),
                jal(-8));
        machine.hart().setRegister(T0, RAM_END - 8L * ITERATIONS);
        machine.hart().setRegister(T1, -1);

        machine.vcpu.run(3L * ITERATIONS + 10);

        assertEquals(HANDLER, machine.hart().pc());
        assertEquals(STORE_ACCESS_FAULT, machine.hart().readCsr(CsrAddress.MCAUSE));
        assertEquals(RAM_END, machine.hart().readCsr(CsrAddress.MTVAL));
        assertEquals(-1, machine.memory.load(RAM_END - 8, 8), "the stores up to the end of RAM took place");
        assertNeighboursIntact();
    }

    @Test
    void compiledLoadsRunningBelowTheStartOfRamFaultThereAndReadNothingOfThePreviousVmsRam() {
        fillNeighbours();
        TestMachine machine = vm(1);
        machine.memory.storeInts(BASE + 0x1000,
                load(A2, T0),
                add(A0, A0, A2),
                addi(T0, T0, -8),
                jal(-12));
        machine.hart().setPc(BASE + 0x1000);
        machine.hart().setRegister(T0, BASE + 8L * ITERATIONS);

        machine.vcpu.run(4L * ITERATIONS + 10);

        assertEquals(HANDLER, machine.hart().pc());
        assertEquals(LOAD_ACCESS_FAULT, machine.hart().readCsr(CsrAddress.MCAUSE));
        assertEquals(BASE - 8, machine.hart().readCsr(CsrAddress.MTVAL));
        assertEquals(0, machine.hart().register(A0), "every load read this VM's zeroed RAM");
        assertNeighboursIntact();
    }

    @Test
    void twoVmsRunningTheSameCompiledLoopEachStoreIntoTheirOwnRam() {
        TestMachine first = vm(0);
        TestMachine second = vm(2);
        for (TestMachine machine : new TestMachine[] {first, second}) {
            machine.memory.storeInts(BASE,
                    store(T1, T0),
                    addi(T0, T0, 8),
                    addi(A1, A1, -1),
                    bne(A1, -12),
                    jal(0));
            machine.hart().setRegister(T0, DATA);
            machine.hart().setRegister(A1, ITERATIONS);
        }
        first.hart().setRegister(T1, 0x1111);
        second.hart().setRegister(T1, 0x2222);

        first.vcpu.run(4L * ITERATIONS + 10);
        second.vcpu.run(4L * ITERATIONS + 10);

        for (int i = 0; i < ITERATIONS; i++) {
            assertEquals(0x1111, first.memory.load(DATA + 8L * i, 8));
            assertEquals(0x2222, second.memory.load(DATA + 8L * i, 8));
        }
        assertEquals(BASE + 16, first.hart().pc(), "the first loop ran to its end");
        assertEquals(BASE + 16, second.hart().pc(), "the second loop ran to its end");
        assertEquals(0, space.get(ValueLayout.JAVA_LONG, RAM_SIZE + DATA - BASE), "the slice between is untouched");
    }

    /**
     * Two VMs whose code pages hold the same bytes share the page's image: a VM that copies a changed byte of
     * its RAM into the image, where it decoded nothing, copies the image first, so the other VM, which ran code
     * there, still finds its own changed instruction after its FENCE.I and runs it anew.
     */
    @Test
    void aVmChangingASharedCodePageCopiesItsImageAndTheOtherVmStillSeesItsOwnCodeChange() {
        TestMachine changed = vm(0);
        TestMachine other = vm(2);
        for (TestMachine machine : new TestMachine[] {changed, other}) {
            machine.memory.storeInts(BASE, addi(A0, A0, 1), FENCE_I, jal(-8));
            machine.memory.storeInts(BASE + 0x100, FENCE_I, jal(-4));
        }
        other.hart().setPc(BASE + 0x100);
        changed.vcpu.run(3L * ITERATIONS);
        other.vcpu.run(2L * ITERATIONS);
        long before = changed.hart().register(A0);

        for (TestMachine machine : new TestMachine[] {changed, other}) {
            machine.memory.storeInts(BASE, addi(A0, A0, 100));
        }
        other.vcpu.run(2L * ITERATIONS);
        changed.hart().setPc(BASE + 4);
        changed.vcpu.run(3L * ITERATIONS);

        long added = changed.hart().register(A0) - before;
        assertTrue(added > 0 && added % 100 == 0, "after its FENCE.I the VM ran its new instruction only: " + added);
    }

    private static int load(int rd, int rs1) {
        return rs1 << 15 | 3 << 12 | rd << 7 | 0x03;
    }

    private static int store(int rs2, int rs1) {
        return rs2 << 20 | rs1 << 15 | 3 << 12 | 0x23;
    }

    private static int addi(int rd, int rs1, int immediate) {
        return immediate << 20 | rs1 << 15 | rd << 7 | 0x13;
    }

    private static int add(int rd, int rs1, int rs2) {
        return rs2 << 20 | rs1 << 15 | rd << 7 | 0x33;
    }

    /** BNE rs1, x0. */
    private static int bne(int rs1, int offset) {
        return ((offset >> 12) & 1) << 31 | ((offset >> 5) & 0x3F) << 25 | rs1 << 15 | 1 << 12
                | ((offset >> 1) & 0xF) << 8 | ((offset >> 11) & 1) << 7 | 0x63;
    }

    /** JAL x0. */
    private static int jal(int offset) {
        return ((offset >> 20) & 1) << 31 | ((offset >> 1) & 0x3FF) << 21 | ((offset >> 11) & 1) << 20
                | ((offset >> 12) & 0xFF) << 12 | 0x6F;
    }
}
