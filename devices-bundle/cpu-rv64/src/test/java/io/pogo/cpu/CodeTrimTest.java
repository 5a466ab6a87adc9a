package io.pogo.cpu;

import io.pogo.api.cpu.CodeCacheStats;
import io.pogo.cpu.jit.CodeBudget;
import io.pogo.cpu.jit.JitMode;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A hart idling in WFI drops the code it has not run since its previous trim, block by block: the guest decodes
 * 64 Ki one-off functions over 32 pages (about 10 MiB of blocks), then sleeps three times on its timer in a loop of
 * a few blocks, which share their page with code that ran only before.
 */
class CodeTrimTest {
    private static final String OUTPUT = "sprawl: called 0x0000000000010000 addresses, counted 0x0000000000008000\r\n";

    @Test
    void anIdleHartKeepsOnlyTheBlocksItRanSinceItsLastTrim() {
        CodeCacheStats stats = idleRun(Duration.ZERO);

        // the first trim finds every block in use since the hart started; the second drops the functions' pages, and
        // of the program's own pages it keeps one with the few blocks of the idle loop (whole pages were 33 KiB)
        assertTrue(stats.peakBytes() > 8L << 20, stats.toString());
        assertTrue(stats.usedBytes() < 12L << 10, stats.toString());
    }

    @Test
    void noCodeIsDroppedBeforeTheIntervalHasPassed() {
        CodeCacheStats stats = idleRun(Duration.ofDays(1));

        assertEquals(stats.peakBytes(), stats.usedBytes(), stats.toString());
    }

    private static CodeCacheStats idleRun(Duration trimInterval) {
        TestMachine machine = TestMachine.boot("sprawl-idle", 1,
                new Rv64VCpuFactory(CodeBudget.DEFAULT_LIMIT, JitMode.ON, trimInterval));

        assertEquals(0, machine.runToFinisher(10_000_000), machine.console.toString());
        assertEquals(OUTPUT, machine.console.toString());
        assertEquals(0, machine.vcpu.codeCache().flushes());
        return machine.vcpu.codeCache();
    }
}
