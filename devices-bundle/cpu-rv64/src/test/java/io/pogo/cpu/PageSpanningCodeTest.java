package io.pogo.cpu;

import io.pogo.api.cpu.PrivilegeMode;
import io.pogo.cpu.jit.CodeBudget;
import io.pogo.cpu.jit.JitMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static io.pogo.cpu.Encodings.add;
import static io.pogo.cpu.Encodings.addi;
import static io.pogo.cpu.Encodings.beq;
import static io.pogo.cpu.Encodings.jal;
import static io.pogo.cpu.Encodings.store;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * An instruction whose upper half lies on the next page, run in a loop that rewrites that half (its immediate) with
 * a store before each run: the code cache keeps the instruction's block in its first page, which watches only the
 * lower half, so each run must still see the upper half RAM holds then.
 */
class PageSpanningCodeTest {
    private static final long BASE = TestMachine.RAM_BASE;
    private static final long LOOP = BASE + 0xFF4;
    private static final long SPANNING = BASE + 0xFFE;
    private static final int ITERATIONS = 1000;
    private static final short COMPRESSED_NOP = 0x0001;

    private static final int T0 = 5;
    private static final int T1 = 6;
    private static final int T2 = 7;
    private static final int A0 = 10;
    private static final int A1 = 11;

    @ParameterizedTest
    @EnumSource(value = JitMode.class, names = {"OFF", "ON", "EAGER"})
    void eachRunOfAnInstructionSpanningTwoPagesSeesItsUpperHalfAsLastStored(JitMode jit) {
        TestMachine machine = new TestMachine(new Rv64VCpuFactory(CodeBudget.DEFAULT_LIMIT, jit), 1, 1 << 20, BASE,
                PrivilegeMode.MACHINE, false);
        machine.memory.storeInts(BASE, jal(0, (int) (LOOP - BASE)));
        machine.memory.storeInts(LOOP,
                store(1, T1, T0, 0),                // the upper half of the addi below: its next immediate
                add(T1, T1, T2));
        machine.memory.store(LOOP + 8, 2, COMPRESSED_NOP);
        machine.memory.store(SPANNING, 4, addi(A0, A0, 0));
        machine.memory.storeInts(SPANNING + 4,
                addi(A1, A1, -1),
                beq(A1, 0, 8),
                jal(0, (int) (LOOP - (SPANNING + 12))),
                jal(0, 0));
        machine.hart().setRegister(T0, SPANNING + 2);
        machine.hart().setRegister(T1, addi(A0, A0, 1) >>> 16);
        machine.hart().setRegister(T2, 1 << 4);
        machine.hart().setRegister(A1, ITERATIONS);

        machine.vcpu.run(7L * ITERATIONS + 2);

        assertEquals(SPANNING + 16, machine.hart().pc(), "the loop ran to its end");
        assertEquals((long) ITERATIONS * (ITERATIONS + 1) / 2, machine.hart().register(A0),
                "run i added the immediate i + 1 stored just before it");
    }
}
