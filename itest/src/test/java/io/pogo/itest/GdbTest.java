package io.pogo.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Debian's gdb-multiarch in batch mode against {@code pogo run --gdb PORT --wait-gdb}, as against QEMU's
 * {@code -gdb tcp::PORT -S}: the same commands give the same answers (QEMU 7.2 was run with each of these scripts).
 */
@Timeout(600)
class GdbTest {

    /**
     * The guest's timebase (10 MHz) over the two seconds gdb holds it: had they leaked into its time, the guest
     * would count at least this many, however fast or slow the host runs the rest.
     */
    private static final long TWO_SECONDS_OF_TICKS = 20_000_000;

    private static void assertContains(String text, String expected) {
        assertTrue(text.contains(expected), "expected «" + expected + "» in:\n" + text);
    }

    @Test
    void breaksInACFunctionPrintsLocalsAndGlobalsStepsWatchesAndRunsToTheEnd() throws Exception {
        String elf = Guests.elf("gdb-basic.elf").toString();
        try (GdbProcess pogo = GdbProcess.start(true, "--bios", "none", "--kernel", elf)) {
            String gdb = pogo.gdb(elf, "break accumulate", "continue", "print limit", "next", "next",
                    "print sum", "step", "bt", "finish", "print total", "info registers priv", "watch watched",
                    "continue", "delete", "break pause_here", "continue", "shell sleep 2", "finish", "next",
                    "print after_pause - before_pause", "continue");
            assertContains(gdb, "Breakpoint 1, accumulate (limit=4) at gdb/basic.c:18");
            assertContains(gdb, "$1 = 4");
            assertContains(gdb, "$2 = 0");
            assertContains(gdb, "square (value=1) at gdb/basic.c:13");
            assertContains(gdb, "#1  0x");
            assertContains(gdb, "in accumulate (limit=4) at gdb/basic.c:20");
            assertContains(gdb, "in main () at gdb/basic.c:33");
            assertContains(gdb, "Value returned is $3 = 1");
            assertContains(gdb, "$4 = 0");
            assertContains(gdb, "prv:3 [Machine]");
            assertContains(gdb, "Hardware watchpoint 2: watched\n\nOld value = 0\nNew value = 42");
            assertContains(gdb, "publish (value=42)");
            assertContains(gdb, "[Inferior 1 (Remote target) exited normally]");
            Matcher paused = Pattern.compile("\\$5 = (\\d+)").matcher(gdb);
            assertTrue(paused.find(), gdb);
            assertTrue(Long.parseLong(paused.group(1)) < TWO_SECONDS_OF_TICKS,
                    "two seconds held by gdb are not in the guest's time: " + paused.group(1) + " ticks");
            assertEquals(0, pogo.waitFor(Duration.ofMinutes(1)), pogo.err());
            assertContains(pogo.out(), "gdb guest done");
        }
    }

    @Test
    void twoHartsAreTwoThreadsAndABreakpointStopsTheOneInAHotLoop() throws Exception {
        String elf = Guests.elf("gdb-smp.elf").toString();
        try (GdbProcess pogo = GdbProcess.start(true, "--smp", "2", "--bios", "none", "--kernel", elf)) {
            String gdb = pogo.gdb(elf, "break checkpoint", "continue", "info threads", "thread 2", "bt",
                    "break beat", "continue", "print heartbeat > 200000", "delete", "continue");
            assertContains(gdb, "Thread 1 hit Breakpoint 1, checkpoint (seen=");
            assertTrue(Pattern.compile("\\* 1 +Thread 1 \\(hart 0\\) checkpoint").matcher(gdb).find(), gdb);
            assertTrue(Pattern.compile(" 2 +Thread 2 \\(hart 1\\) (beat|spin) ").matcher(gdb).find(), gdb);
            assertContains(gdb, "[Switching to thread 2 (Thread 2)]");
            assertTrue(Pattern.compile("#\\d  0x[0-9a-f]+ in secondary_main \\(\\) at gdb/smp.c:\\d+").matcher(gdb)
                    .find(), gdb);
            assertTrue(Pattern.compile("Thread 2 hit Breakpoint 2, beat \\(\\) at gdb/smp.c:\\d+").matcher(gdb).find(),
                    gdb);
            assertContains(gdb, "$1 = 1");
            assertContains(gdb, "[Inferior 1 (Remote target) exited normally]");
            assertEquals(0, pogo.waitFor(Duration.ofMinutes(1)), pogo.err());
            assertContains(pogo.out(), "gdb smp guest done");
        }
    }

    @Test
    void linuxStopsInDoSysOpenat2WithItsCallChainAndRunsOnOnceDetached() throws Exception {
        String vmlinux = LinuxGuestTest.linux("vmlinux").toString();
        try (GdbProcess pogo = GdbProcess.start(true, "--smp", "2", "--mem", "256M",
                "--kernel", LinuxGuestTest.linux("Image").toString(),
                "--initrd", LinuxGuestTest.linux("initramfs.cpio").toString(),
                "--append", "console=ttyS0 pogo.quiet=1 pogo.run=\"cat /proc/version\"")) {
            String gdb = pogo.gdb(vmlinux, "break do_sys_openat2", "continue", "bt", "info threads", "detach");
            assertTrue(Pattern.compile("hit Breakpoint 1, do_sys_openat2 \\(dfd=.*filename=.*\"/init\"")
                    .matcher(gdb).find(), gdb);
            assertTrue(Pattern.compile("#0  do_sys_openat2 .* at .*fs/open.c:\\d+").matcher(gdb).find(), gdb);
            assertTrue(Pattern.compile("#1  0x[0-9a-f]+ in do_sys_open .* at .*fs/open.c:\\d+").matcher(gdb).find(),
                    gdb);
            assertTrue(Pattern.compile("#2  0x[0-9a-f]+ in handle_exception \\(\\) at .*entry.S:\\d+").matcher(gdb)
                    .find(), gdb);
            assertTrue(Pattern.compile("Thread 1 \\(hart 0\\)").matcher(gdb).find(), gdb);
            assertContains(gdb, "[Inferior 1 (Remote target) detached]");
            assertEquals(0, pogo.waitFor(Duration.ofMinutes(4)), pogo.err());
            assertContains(pogo.out(), "Linux version 6.1");
            assertContains(pogo.out(), "pogo.run: exit 0");
        }
    }

    @Test
    void killFromGdbEndsTheRunAsQemuDoes() throws Exception {
        String elf = Guests.elf("gdb-basic.elf").toString();
        try (GdbProcess pogo = GdbProcess.start(true, "--bios", "none", "--kernel", elf)) {
            String gdb = pogo.gdb(elf, "break accumulate", "continue", "kill");
            assertTrue(Pattern.compile("\\[Inferior 1 \\(.*\\) killed\\]").matcher(gdb).find(), gdb);
            assertEquals(0, pogo.waitFor(Duration.ofMinutes(1)), pogo.err());
            assertContains(pogo.err(), "terminated via gdb");
            assertFalse(pogo.out().contains("gdb guest done"), pogo.out());
        }
    }
}
