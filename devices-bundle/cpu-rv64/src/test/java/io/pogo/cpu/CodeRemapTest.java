package io.pogo.cpu;

import io.pogo.api.cpu.CsrAddress;
import io.pogo.api.cpu.PrivilegeMode;
import io.pogo.cpu.jit.CodeBudget;
import io.pogo.cpu.jit.JitMode;
import io.pogo.cpu.jit.RegionCompiler;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static io.pogo.cpu.Encodings.add;
import static io.pogo.cpu.Encodings.addi;
import static io.pogo.cpu.Encodings.bne;
import static io.pogo.cpu.Encodings.jal;
import static io.pogo.cpu.Encodings.jalr;
import static io.pogo.cpu.Encodings.store;
import static io.pogo.cpu.Encodings.xor;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A supervisor loop calls a function at one virtual address whose page it maps to one of two physical copies in
 * turn (one returns 1, the other 2), fencing each new mapping with an SFENCE.VMA of an address the leaf covers:
 * every call runs the copy mapped at that moment, though the loop's block links its call to what it reached
 * before. The leaf is a 4 KiB page fenced at the function's address, or a 2 MiB megapage fenced at another page
 * inside it, which the fence covers as well.
 */
class CodeRemapTest {
    private static final long BASE = TestMachine.RAM_BASE;
    private static final int RAM_SIZE = 8 << 20;
    private static final long FUNCTION = 0x4000_0000L;
    private static final long ROOT = BASE + 0x1_0000;
    private static final long MIDDLE = ROOT + 0x1000;
    private static final int ITERATIONS = 2 * RegionCompiler.THRESHOLD;
    /** Valid, readable, writable, executable, accessed and dirty: a supervisor leaf. */
    private static final long LEAF = 0xCF;

    private static final int RA = 1;
    private static final int T0 = 5;
    private static final int T1 = 6;
    private static final int T2 = 7;
    private static final int A0 = 10;
    private static final int A1 = 11;
    private static final int A2 = 12;
    private static final int A3 = 13;
    private static final int T3 = 28;

    @ParameterizedTest
    @EnumSource(value = JitMode.class, names = {"OFF", "EAGER"})
    void aPageRemappedAndFencedIsCalledThroughItsNewMapping(JitMode jit) {
        long leaves = ROOT + 0x2000;
        long copyA = BASE + 0x2_0000;
        long copyB = BASE + 0x2_1000;
        TestMachine machine = machine(jit);
        machine.memory.store(MIDDLE, 8, (leaves >>> 12) << 10 | 1);

        assertEquals(3L * ITERATIONS / 2, callsRemapped(machine, leaves, copyA, copyB, FUNCTION));
    }

    @ParameterizedTest
    @EnumSource(value = JitMode.class, names = {"OFF", "EAGER"})
    void aMegapageRemappedAndFencedAtAnotherOfItsPagesIsCalledThroughItsNewMapping(JitMode jit) {
        long copyA = BASE + 0x20_0000;
        long copyB = BASE + 0x40_0000;
        TestMachine machine = machine(jit);

        assertEquals(3L * ITERATIONS / 2, callsRemapped(machine, MIDDLE, copyA, copyB, FUNCTION + 0x1000));
    }

    /**
     * A supervisor hart under {@link #ROOT}, whose code, RAM and tables are mapped as they are by a gigapage, and
     * whose gigabyte at {@link #FUNCTION} is mapped by the table at {@link #MIDDLE}, which the test fills.
     */
    private static TestMachine machine(JitMode jit) {
        TestMachine machine = new TestMachine(new Rv64VCpuFactory(CodeBudget.DEFAULT_LIMIT, jit), 1, RAM_SIZE, BASE,
                PrivilegeMode.SUPERVISOR, false);
        machine.memory.store(ROOT + 8 * 2, 8, (BASE >>> 12) << 10 | LEAF);
        machine.memory.store(ROOT + 8, 8, (MIDDLE >>> 12) << 10 | 1);
        machine.hart().writeCsr(CsrAddress.SATP, 8L << 60 | ROOT >>> 12);
        return machine;
    }

    /**
     * Runs the loop with {@link #FUNCTION} mapped by the leaf PTE at {@code pte}, to {@code copyA} first and then
     * to {@code copyB} and back, fencing {@code fenced} after each change; returns the sum of what the calls
     * returned.
     */
    private static long callsRemapped(TestMachine machine, long pte, long copyA, long copyB, long fenced) {
        machine.memory.storeInts(copyA, addi(A0, 0, 1), jalr(0, RA));
        machine.memory.storeInts(copyB, addi(A0, 0, 2), jalr(0, RA));
        long leafA = (copyA >>> 12) << 10 | LEAF;
        long leafB = (copyB >>> 12) << 10 | LEAF;
        machine.memory.store(pte, 8, leafA);
        machine.memory.storeInts(BASE,
                jalr(RA, T0),                       // call the function as mapped now
                add(A2, A2, A0),
                xor(T1, T1, T2),                    // map the other copy
                store(3, T1, T3, 0),
                0x1200_0073 | A3 << 15,             // sfence.vma a3
                addi(A1, A1, -1),
                bne(A1, 0, -24),
                jal(0, 0));
        machine.hart().setRegister(T0, FUNCTION);
        machine.hart().setRegister(T1, leafA);
        machine.hart().setRegister(T2, leafA ^ leafB);
        machine.hart().setRegister(T3, pte);
        machine.hart().setRegister(A1, ITERATIONS);
        machine.hart().setRegister(A3, fenced);

        machine.vcpu.run(12L * ITERATIONS);

        assertEquals(BASE + 28, machine.hart().pc(), "the loop ran to its end");
        return machine.hart().register(A2);
    }
}
