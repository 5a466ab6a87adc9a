package io.pogo.cpu;

import io.pogo.api.cpu.AddressTrigger;
import io.pogo.api.cpu.CsrAddress;
import io.pogo.api.cpu.MemoryAccess;
import io.pogo.api.cpu.PrivilegeMode;
import io.pogo.cpu.jit.CodeBudget;
import io.pogo.cpu.jit.JitMode;
import io.pogo.cpu.jit.RegionCompiler;
import io.pogo.cpu.mmu.Tlb;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Set;

import static io.pogo.cpu.Encodings.add;
import static io.pogo.cpu.Encodings.addi;
import static io.pogo.cpu.Encodings.amoswap;
import static io.pogo.cpu.Encodings.beq;
import static io.pogo.cpu.Encodings.bne;
import static io.pogo.cpu.Encodings.jal;
import static io.pogo.cpu.Encodings.load;
import static io.pogo.cpu.Encodings.store;
import static io.pogo.cpu.Encodings.xor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Loads and stores in loops that run long enough to be compiled, so their last iterations take the compiled
 * block's inline TLB fast path or its way out to the MMU: every size and extension, misaligned accesses, MMIO,
 * stores to code (self-modifying code, plain or atomic), triggers armed after compilation, and a fault in the
 * middle of a block.
 */
class CompiledMemoryAccessTest {
    private static final long BASE = TestMachine.RAM_BASE;
    private static final int RAM_SIZE = 1 << 20;
    private static final long HANDLER = BASE + 0x800;
    private static final long DATA = BASE + 0x2000;
    private static final long UART = 0x1000_0000L;
    private static final int ITERATIONS = 2 * RegionCompiler.THRESHOLD;

    private static final int T0 = 5;
    private static final int T1 = 6;
    private static final int T2 = 7;
    private static final int T3 = 28;
    private static final int A0 = 10;
    private static final int A1 = 11;
    private static final int A2 = 12;
    private static final int A3 = 13;
    private static final int A4 = 14;
    private static final int A5 = 15;
    private static final int A6 = 16;
    private static final int A7 = 17;
    private static final int S2 = 18;
    private static final int S3 = 19;
    private static final int S4 = 20;
    private static final int S5 = 21;

    /** Each loop compiled at its first run on the hart's thread, not whenever the background compiler finishes. */
    private static Rv64VCpuFactory eagerJit() {
        return new Rv64VCpuFactory(CodeBudget.DEFAULT_LIMIT, JitMode.EAGER);
    }

    private static TestMachine machine() {
        TestMachine machine = new TestMachine(eagerJit(), 1, RAM_SIZE, BASE, PrivilegeMode.MACHINE, false);
        machine.memory.storeInts(HANDLER, jal(0, 0));
        machine.hart().writeCsr(CsrAddress.MTVEC, HANDLER);
        return machine;
    }

    @Test
    void everySizeAndExtensionMisalignedAndMmioAccessesGiveTheInterpretersResults() {
        TestMachine machine = machine();
        machine.memory.storeInts(BASE,
                store(0, T1, T0, 0),
                store(1, T1, T0, 8),
                store(2, T1, T0, 16),
                store(3, T1, T0, 24),
                load(0, A2, T0, 0),
                load(4, A3, T0, 0),
                load(1, A4, T0, 8),
                load(5, A5, T0, 8),
                load(2, A6, T0, 16),
                load(6, A7, T0, 16),
                load(3, S2, T0, 24),
                store(3, T1, T0, 35),               // misaligned
                load(3, S3, T0, 35),
                load(4, S4, S5, 5),                 // UART line status
                store(0, T3, S5, 0),                // UART transmit
                add(T1, T1, T2),
                addi(A1, A1, -1),
                bne(A1, 0, -68),
                jal(0, 0));
        long first = 0x8081_8283_8485_8687L;
        long step = 0x0101_0101_0101_0101L;
        machine.hart().setRegister(T0, DATA);
        machine.hart().setRegister(T1, first);
        machine.hart().setRegister(T2, step);
        machine.hart().setRegister(T3, 'x');
        machine.hart().setRegister(S5, UART);
        machine.hart().setRegister(A1, ITERATIONS);

        machine.vcpu.run(19L * ITERATIONS);

        long last = first + (ITERATIONS - 1) * step;
        assertEquals(BASE + 72, machine.hart().pc(), "the loop ran to its end");
        assertEquals((byte) last, machine.hart().register(A2));
        assertEquals(last & 0xFF, machine.hart().register(A3));
        assertEquals((short) last, machine.hart().register(A4));
        assertEquals(last & 0xFFFF, machine.hart().register(A5));
        assertEquals((int) last, machine.hart().register(A6));
        assertEquals(last & 0xFFFF_FFFFL, machine.hart().register(A7));
        assertEquals(last, machine.hart().register(S2));
        assertEquals(last, machine.hart().register(S3));
        assertEquals(last, machine.memory.load(DATA + 35, 8));
        assertEquals(0x60, machine.hart().register(S4));
        assertEquals("x".repeat(ITERATIONS), machine.console.toString());
    }

    /** Plain or atomic: an AMO takes the page from the TLB as a store does, and must also see it holds code. */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aCompiledStoreToDecodedCodeChangesTheCodeThatRunsNext(boolean atomic) {
        TestMachine machine = machine();
        long patched = BASE + 0x1000;
        machine.memory.storeInts(BASE,
                atomic ? amoswap(2, 0, T1, T0) : store(2, T1, T0, 0), // patch the addi on the next page
                add(T1, T1, T2),                    // next time, an immediate one higher
                addi(A1, A1, -1),
                jal(0, 0x1000 - 12));
        machine.memory.storeInts(patched,
                addi(A0, A0, 0),
                beq(A1, 0, 8),
                jal(0, -0x1008),
                jal(0, 0));
        machine.hart().setRegister(T0, patched);
        machine.hart().setRegister(T1, addi(A0, A0, 0));
        machine.hart().setRegister(T2, 1 << 20);
        machine.hart().setRegister(A1, ITERATIONS);

        machine.vcpu.run(7L * ITERATIONS + 10);

        long expected = 0;
        for (int i = 0; i < ITERATIONS; i++) {
            expected += (i & 0xFFF) << 20 >> 20;
        }
        assertEquals(patched + 12, machine.hart().pc(), "the loop ran to its end");
        assertEquals(expected, machine.hart().register(A0), "every iteration ran the immediate it had just stored");
    }

    @ParameterizedTest
    @EnumSource(value = MemoryAccess.class, names = {"LOAD", "STORE"})
    void aTriggerArmedAfterCompilationStopsTheCompiledAccess(MemoryAccess access) {
        TestMachine machine = machine();
        machine.memory.storeInts(BASE,
                load(3, A2, T0, 0),
                store(3, A2, T0, 8),
                addi(A1, A1, -1),
                bne(A1, 0, -12),
                jal(0, 0));
        machine.hart().setRegister(T0, DATA);
        machine.hart().setRegister(A1, 1_000_000);
        machine.vcpu.run(4L * ITERATIONS);
        long retiredBefore = machine.hart().instructionsRetired();
        long watched = access == MemoryAccess.LOAD ? DATA : DATA + 8;
        machine.hart().armTrigger(0, new AddressTrigger(watched, 8, Set.of(access), Set.of(PrivilegeMode.MACHINE)));

        machine.vcpu.run(10);

        assertEquals(HANDLER, machine.hart().pc());
        assertEquals(3, machine.hart().readCsr(CsrAddress.MCAUSE));
        assertEquals(access == MemoryAccess.LOAD ? BASE : BASE + 4, machine.hart().readCsr(CsrAddress.MEPC));
        assertEquals(watched, machine.hart().readCsr(CsrAddress.MTVAL));
        assertTrue(machine.hart().instructionsRetired() - retiredBefore < 10, "it stopped at once");
    }

    @Test
    void aFaultInTheMiddleOfACompiledBlockReportsItsInstructionAndKeepsTheEarlierOnesResults() {
        TestMachine machine = machine();
        long ramEnd = BASE + RAM_SIZE;
        machine.memory.storeInts(BASE,
                addi(A0, A0, 1),
                load(3, A2, T0, 0),
                addi(T0, T0, 8),
                jal(0, -12));
        machine.hart().setRegister(T0, ramEnd - 8L * ITERATIONS);

        machine.vcpu.run(4L * ITERATIONS + 10);

        assertEquals(HANDLER, machine.hart().pc());
        assertEquals(5, machine.hart().readCsr(CsrAddress.MCAUSE), "load access fault");
        assertEquals(BASE + 4, machine.hart().readCsr(CsrAddress.MEPC));
        assertEquals(ramEnd, machine.hart().readCsr(CsrAddress.MTVAL));
        assertEquals(ITERATIONS + 1, machine.hart().register(A0));
    }

    @Test
    void accessesWhoseTlbEntriesEvictEachOtherEachReachTheirOwnPage() {
        TestMachine machine = new TestMachine(eagerJit(), 1, 4 << 20, BASE, PrivilegeMode.MACHINE, false);
        long first = BASE + 0x10_0000;
        long second = first + (Tlb.ENTRIES << 12);
        long third = second + (Tlb.ENTRIES << 12);
        machine.memory.storeInts(BASE,
                load(3, A2, T0, 0),                 // first page: a counter
                addi(A2, A2, 1),
                store(3, A2, T0, 0),
                store(3, A2, T1, 0),                // second page: a copy of it
                load(3, A3, T2, 0),                 // third page: the running sum
                add(A3, A3, A2),
                store(3, A3, T2, 0),
                addi(A1, A1, -1),
                bne(A1, 0, -32),
                jal(0, 0));
        machine.hart().setRegister(T0, first);
        machine.hart().setRegister(T1, second);
        machine.hart().setRegister(T2, third);
        machine.hart().setRegister(A1, ITERATIONS);

        machine.vcpu.run(9L * ITERATIONS);

        assertEquals(BASE + 36, machine.hart().pc(), "the loop ran to its end");
        assertEquals(ITERATIONS, machine.memory.load(first, 8));
        assertEquals(ITERATIONS, machine.memory.load(second, 8));
        assertEquals((long) ITERATIONS * (ITERATIONS + 1) / 2, machine.memory.load(third, 8));
    }

    @Test
    void aPageRemappedAndFencedInTheLoopIsReachedThroughItsNewMapping() {
        long root = BASE + 0x1_0000;
        long middle = root + 0x1000;
        long leaves = root + 0x2000;
        long pageA = BASE + 0x2_0000;
        long pageB = BASE + 0x2_1000;
        long leafA = (pageA >>> 12) << 10 | 0xC7;
        long leafB = (pageB >>> 12) << 10 | 0xC7;
        TestMachine machine = new TestMachine(eagerJit(), 1, RAM_SIZE, BASE, PrivilegeMode.SUPERVISOR, false);
        machine.memory.store(root + 8 * 2, 8, (BASE >>> 12) << 10 | 0xCF);     // the code, RAM and tables as they are
        machine.memory.store(root + 8, 8, (middle >>> 12) << 10 | 1);          // 0x4000_0000: one page, A or B
        machine.memory.store(middle, 8, (leaves >>> 12) << 10 | 1);
        machine.memory.store(leaves, 8, leafA);
        machine.memory.storeInts(BASE,
                load(3, A2, T0, 0),                 // the counter of the page mapped now
                addi(A2, A2, 1),
                store(3, A2, T0, 0),
                xor(T1, T1, T2),                    // map the other page
                store(3, T1, T3, 0),
                0x1200_0073,                        // sfence.vma
                addi(A1, A1, -1),
                bne(A1, 0, -28),
                jal(0, 0));
        machine.hart().writeCsr(CsrAddress.SATP, 8L << 60 | root >>> 12);
        machine.hart().setRegister(T0, 0x4000_0000L);
        machine.hart().setRegister(T1, leafA);
        machine.hart().setRegister(T2, leafA ^ leafB);
        machine.hart().setRegister(T3, leaves);
        machine.hart().setRegister(A1, ITERATIONS);

        machine.vcpu.run(8L * ITERATIONS);

        assertEquals(BASE + 32, machine.hart().pc(), "the loop ran to its end");
        assertEquals(ITERATIONS / 2, machine.memory.load(pageA, 8), "every other iteration counted on page A");
        assertEquals(ITERATIONS / 2, machine.memory.load(pageB, 8), "and the others on page B");
    }
}
