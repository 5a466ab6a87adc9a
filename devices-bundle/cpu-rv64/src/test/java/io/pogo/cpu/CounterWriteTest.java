package io.pogo.cpu;

import io.pogo.api.cpu.CsrAddress;
import io.pogo.api.cpu.PrivilegeMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A write to minstret or mcycle takes the place of the writing instruction's own increment, as the spec has it.
 * QEMU 7.2 counts the writing instruction too (and without -icount its counters follow the host's clock), so no
 * guest test can check this against it.
 */
class CounterWriteTest {
    private static final long BASE = TestMachine.RAM_BASE;
    private static final int A0 = 10;
    private static final int A1 = 11;
    private static final int A2 = 12;
    private static final int A3 = 13;
    private static final int JUMP_TO_SELF = 0x0000006F;
    private static final int NOP = 0x00000013;

    private static int csrReadWrite(int funct3, int csr, int rd, int source) {
        return csr << 20 | source << 15 | funct3 << 12 | rd << 7 | 0x73;
    }

    @ParameterizedTest
    @ValueSource(ints = {CsrAddress.MINSTRET, CsrAddress.MCYCLE})
    void aCounterWriteReplacesTheWritingInstructionsOwnIncrement(int counter) {
        int csrwiZero = csrReadWrite(5, counter, 0, 0);
        TestMachine machine = new TestMachine(1 << 20, BASE, PrivilegeMode.MACHINE, false);
        machine.memory.storeInts(BASE, csrwiZero, csrReadWrite(2, counter, A0, 0), csrReadWrite(2, counter, A1, 0),
                csrwiZero, NOP, NOP, csrReadWrite(2, counter, A2, 0), csrReadWrite(2, counter - 0xB00 + 0xC00, A3, 0),
                JUMP_TO_SELF);
        machine.vcpu.run(9);
        assertEquals(0, machine.hart().register(A0), "read right after the write");
        assertEquals(1, machine.hart().register(A1), "the read itself counted once it retired");
        assertEquals(2, machine.hart().register(A2), "two instructions after a second write");
        assertEquals(3, machine.hart().register(A3), "the unprivileged counter shows the same count");
    }
}
