package io.pogo.cpu;

import io.pogo.api.cpu.PrivilegeMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** Garbage executed as code must end in guest traps, never in host exceptions. */
class RandomCodeTest {
    private static final int CODE_BYTES = 64 << 10;
    private static final int MTVEC = 0x305;

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void randomWordsOnlyTrapTheGuest(long seed) {
        for (PrivilegeMode mode : new PrivilegeMode[] {PrivilegeMode.MACHINE, PrivilegeMode.SUPERVISOR, PrivilegeMode.USER}) {
            TestMachine machine = new TestMachine(1 << 20, TestMachine.RAM_BASE, mode, false);
            Random random = new Random(seed);
            int[] words = new int[CODE_BYTES / 4];
            for (int i = 0; i < words.length; i++) {
                words[i] = random.nextInt();
            }
            machine.memory.storeInts(TestMachine.RAM_BASE, words);
            machine.hart().writeCsr(MTVEC, TestMachine.RAM_BASE + 4L * random.nextInt(words.length));
            for (int quantum = 0; quantum < 20; quantum++) {
                machine.vcpu.run(5_000);
            }
            assertNotEquals(0, machine.hart().readCsr(0x342), "random code traps at least once");
        }
    }
}
