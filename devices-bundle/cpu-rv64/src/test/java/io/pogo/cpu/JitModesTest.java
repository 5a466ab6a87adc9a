package io.pogo.cpu;

import io.pogo.api.cpu.PrivilegeMode;
import io.pogo.api.cpu.RunOutcome;
import io.pogo.cpu.jit.CodeBudget;
import io.pogo.cpu.jit.JitMode;
import io.pogo.cpu.jit.RegionCompiler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The interpreter is the reference for the JIT: every ISA guest runs with the JIT off and with every block's region
 * compiled at its first execution, and both runs must print and exit alike (and pass their own checks).
 */
class JitModesTest {
    private static final int A0 = 10;
    private static final int ADDI_A0_A0_1 = 0x00150513;
    private static final int JUMP_BACK_4 = 0xFFDFF06F;
    private static final int RANDOM_WORDS = 16 << 10;
    private static final int MTVEC = 0x305;
    private static final int MCAUSE = 0x342;

    @ParameterizedTest
    @ValueSource(strings = {"isa-int", "isa-amo", "isa-fp", "isa-priv", "isa-irq", "isa-bitmanip", "isa-sstc",
            "isa-debug"})
    void guestRunsAlikeInterpretedAndCompiledEagerly(String guest) {
        TestMachine interpreted = TestMachine.boot(guest, 1, new Rv64VCpuFactory(CodeBudget.DEFAULT_LIMIT, JitMode.OFF));
        int interpretedCode = interpreted.runToFinisher(100_000_000);
        TestMachine compiled = TestMachine.boot(guest, 1, new Rv64VCpuFactory(CodeBudget.DEFAULT_LIMIT, JitMode.EAGER));
        int compiledCode = compiled.runToFinisher(100_000_000);
        assertEquals("PASS\r\n", interpreted.consoleOutput());
        assertEquals(interpreted.consoleOutput(), compiled.consoleOutput());
        assertEquals(0, interpretedCode);
        assertEquals(interpretedCode, compiledCode);
    }

    @Test
    void randomStreamsEndInQemusRegisterStateInBothModes() throws IOException {
        String expected = Files.readString(Path.of("../../guests/isa/random.expected"));
        for (JitMode mode : new JitMode[] {JitMode.OFF, JitMode.EAGER}) {
            TestMachine machine = TestMachine.boot("isa-random", 1, new Rv64VCpuFactory(CodeBudget.DEFAULT_LIMIT, mode));
            int code = machine.runToFinisher(200_000_000);
            assertEquals(expected, machine.consoleOutput(), mode.name());
            assertEquals(0, code, mode.name());
        }
    }

    @Test
    void twoHartsShareCountersAndPatchedCodeCompiledEagerly() throws InterruptedException {
        TestMachine machine = TestMachine.boot("isa-smp", 2, new Rv64VCpuFactory(CodeBudget.DEFAULT_LIMIT, JitMode.EAGER));
        assertEquals(0, machine.runAllToFinisher(50_000_000));
        assertEquals("PASS\r\n", machine.consoleOutput());
    }

    /** Garbage compiled at its first execution must still end in guest traps, as interpreted in RandomCodeTest. */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4})
    void randomWordsCompiledEagerlyOnlyTrapTheGuest(long seed) {
        for (PrivilegeMode mode : new PrivilegeMode[] {PrivilegeMode.MACHINE, PrivilegeMode.SUPERVISOR, PrivilegeMode.USER}) {
            TestMachine machine = new TestMachine(new Rv64VCpuFactory(CodeBudget.DEFAULT_LIMIT, JitMode.EAGER), 1,
                    1 << 20, TestMachine.RAM_BASE, mode, false);
            Random random = new Random(seed);
            int[] words = new int[RANDOM_WORDS];
            for (int i = 0; i < words.length; i++) {
                words[i] = random.nextInt();
            }
            machine.memory.storeInts(TestMachine.RAM_BASE, words);
            machine.hart().writeCsr(MTVEC, TestMachine.RAM_BASE + 4L * random.nextInt(words.length));
            for (int quantum = 0; quantum < 20; quantum++) {
                machine.vcpu.run(5_000);
            }
            assertNotEquals(0, machine.hart().readCsr(MCAUSE), "random code traps at least once");
        }
    }

    /** A guest loop compiled into one JVM loop still gives the hart back when its quantum is spent. */
    @Test
    @Timeout(60)
    void aCompiledLoopEndsItsQuantumWithinOneIteration() {
        TestMachine machine = new TestMachine(new Rv64VCpuFactory(CodeBudget.DEFAULT_LIMIT, JitMode.EAGER), 1,
                1 << 20, TestMachine.RAM_BASE, PrivilegeMode.MACHINE, false);
        machine.memory.storeInts(TestMachine.RAM_BASE, ADDI_A0_A0_1, JUMP_BACK_4);
        for (int quantum = 0; quantum < 10; quantum++) {
            long before = machine.hart().instructionsRetired();
            machine.vcpu.run(100_000);
            long ran = machine.hart().instructionsRetired() - before;
            assertTrue(ran >= 100_000 && ran <= 100_002, "instructions in a quantum of 100000: " + ran);
        }
        assertEquals(500_000, machine.hart().register(A0));
    }

    /**
     * With the default tier a hot loop's region is compiled on the background thread while the hart interprets
     * on; the hart installs it (charging the code budget for it) and the loop carries on compiled, counting alike.
     */
    @Test
    @Timeout(60)
    void aHotLoopRunsOnInTheRegionTheBackgroundCompilerMadeForIt() {
        TestMachine machine = new TestMachine(new Rv64VCpuFactory(CodeBudget.DEFAULT_LIMIT, JitMode.ON), 1,
                1 << 20, TestMachine.RAM_BASE, PrivilegeMode.MACHINE, false);
        machine.memory.storeInts(TestMachine.RAM_BASE, ADDI_A0_A0_1, JUMP_BACK_4);
        machine.vcpu.run(2L * RegionCompiler.THRESHOLD);
        long interpretedCode = machine.vcpu.codeCache().usedBytes();
        while (machine.vcpu.codeCache().usedBytes() == interpretedCode) {
            machine.vcpu.run(1_000);
        }
        machine.vcpu.run(100_000);
        assertEquals(machine.hart().instructionsRetired(), 2 * machine.hart().register(A0));
    }

    /** A kick from another thread ends a quantum a compiled loop would otherwise spend alone. */
    @Test
    @Timeout(60)
    void aKickEndsACompiledLoopEarly() throws InterruptedException {
        TestMachine machine = new TestMachine(new Rv64VCpuFactory(CodeBudget.DEFAULT_LIMIT, JitMode.EAGER), 1,
                1 << 20, TestMachine.RAM_BASE, PrivilegeMode.MACHINE, false);
        machine.memory.storeInts(TestMachine.RAM_BASE, ADDI_A0_A0_1, JUMP_BACK_4);
        Thread kicker = Thread.ofPlatform().start(() -> {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            machine.vcpu.kick();
        });
        assertEquals(RunOutcome.KICKED, machine.vcpu.run(Long.MAX_VALUE));
        kicker.join();
        assertTrue(machine.hart().register(A0) > 0, "the loop ran");
    }

    @Test
    void anUnknownModeIsRefusedInOneSentence() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> JitMode.parse("fast"));
        assertEquals("pogo.jit=fast: expected on, eager or off", refused.getMessage());
    }
}
