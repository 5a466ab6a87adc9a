package io.pogo.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pogo.api.allocator.AllocatorControl;
import io.pogo.api.allocator.PolicyKind;
import io.pogo.api.cpu.ExitKind;
import io.pogo.api.vm.Firmware;
import io.pogo.api.vm.VmConfig;
import io.pogo.api.vm.VmInfo;
import io.pogo.api.vm.VmManager;
import io.pogo.api.vm.VmState;
import io.pogo.launcher.PogoFramework;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The exits that change what a VM holds reach the allocator in a real Felix: WFI and SBI HSM are counted under the
 * allocator bundle, and a VM at its memory cap pauses with the reason and runs on once the cap is raised.
 */
@Timeout(300)
class AllocatorExitsTest {

    private static final String ALLOCATOR = "io.pogo.allocator";
    private static final long MIB = 1L << 20;

    private static PogoFramework framework;
    private static VmManager vms;
    private static AllocatorControl allocator;

    @BeforeAll
    static void boot() throws Exception {
        framework = VmLifecycleTest.bootFramework(Map.of("pogo.host.cpus", "2"));
        vms = framework.awaitService(VmManager.class);
        allocator = framework.awaitService(AllocatorControl.class);
        // the state directory is shared with other test classes and earlier runs: only RAM backed on demand has a
        // cap to reach, whatever memory policy they left remembered
        allocator.use(PolicyKind.MEMORY, "on-demand");
    }

    @AfterAll
    static void shutdown() {
        framework.close();
    }

    @Test
    void routesNameTheAllocatorForResourceExitsAndTheInterpreterForPrivilegedOnes() throws Exception {
        String routes = dispatch("routes");
        for (ExitKind kind : List.of(ExitKind.WFI, ExitKind.SBI_HSM, ExitKind.UNBACKED_MEMORY)) {
            assertTrue(Pattern.compile("(?m)^" + kind + "\\s+" + Pattern.quote(ALLOCATOR) + "\\s+\\w+Routine\\s*$")
                    .matcher(routes).find(), kind + " is not routed to the allocator in:\n" + routes);
        }
        for (ExitKind kind : List.of(ExitKind.CSR_ACCESS, ExitKind.MRET, ExitKind.SRET, ExitKind.SFENCE_VMA,
                ExitKind.HYPERCALL)) {
            assertTrue(Pattern.compile("(?m)^" + kind + "\\s+io\\.pogo\\.interpreter\\s+\\w+\\s*$")
                    .matcher(routes).find(), kind + " is not routed to the interpreter in:\n" + routes);
        }
    }

    /**
     * The SBI guest starts, queries and stops its second hart through HSM, and waits for its timer with WFI and with
     * HSM's retentive suspend.
     */
    @Test
    void wfiAndHartStateCallsAreCountedUnderTheAllocator() throws Exception {
        vms.create(new VmConfig("hsm", 2, 64 * MIB, new Firmware.Builtin(), Guests.elf("sbi-test.elf"), null, "",
                List.of()));
        vms.start("hsm");
        VmInfo end = vms.awaitTermination("hsm", Duration.ofSeconds(120)).orElseThrow();
        assertEquals(VmState.STOPPED, end.state(), end.failure() + "\n" + vms.console("hsm").transcript());
        assertEquals(0, end.exitStatus(), vms.console("hsm").transcript());
        Map<ExitKind, Map<String, Long>> handled = vms.exitsByHandler("hsm");
        assertTrue(handled.getOrDefault(ExitKind.WFI, Map.of()).getOrDefault(ALLOCATOR, 0L) > 0, handled.toString());
        assertTrue(handled.getOrDefault(ExitKind.SBI_HSM, Map.of()).getOrDefault(ALLOCATOR, 0L) >= 3,
                handled.toString());
        assertEquals(Map.of(ALLOCATOR, handled.get(ExitKind.SBI_HSM).get(ALLOCATOR)), handled.get(ExitKind.SBI_HSM),
                "every HSM call went to the allocator");
        String stats = dispatch("stats", "hsm");
        assertTrue(count(stats, "hsm", ExitKind.WFI, ALLOCATOR) > 0, stats);
        assertTrue(count(stats, "hsm", ExitKind.SBI_HSM, ALLOCATOR) >= 3, stats);
        assertTrue(count(stats, "hsm", ExitKind.HYPERCALL, "io.pogo.interpreter") > 0, stats);
        vms.destroy("hsm");
    }

    /** memtouch touches 32 MiB from 4 MiB into RAM; capped at 16 MiB it gets part way and waits. */
    @Test
    void aVmAtItsMemoryCapPausesWithTheReasonAndRunsOnWhenTheCapIsRaised() throws Exception {
        vms.create(new VmConfig("capped", 1, 64 * MIB, new Firmware.None(), Guests.elf("memtouch.elf"), null, "",
                List.of()));
        allocator.memoryCap("capped", 16 * MIB);
        vms.start("capped");
        VmInfo waiting = awaitState("capped", VmState.PAUSED);
        assertTrue(waiting.waitingFor().contains("capped is at its memory cap of 16M"), waiting.waitingFor());
        String before = vms.console("capped").transcript();
        int reached = touchedMiB(before);
        assertTrue(reached >= 8 && reached < 16, "got " + reached + " MiB in under a 16M cap:\n" + before);
        assertTrue(waiting.residentBytes() <= 16 * MIB, "resident " + waiting.residentBytes());
        assertFalse(before.contains("all pages read back"), before);
        String info = vmInfo("capped");
        assertTrue(info.contains("paused (waiting for memory: capped is at its memory cap of 16M"), info);

        allocator.memoryCap("capped", 0);
        VmInfo end = vms.awaitTermination("capped", Duration.ofSeconds(120)).orElseThrow();
        String transcript = vms.console("capped").transcript();
        assertEquals(VmState.STOPPED, end.state(), end.failure() + "\n" + transcript);
        assertEquals(0, end.exitStatus(), transcript);
        assertEquals(32, touchedMiB(transcript), transcript);
        assertTrue(transcript.contains("memtouch: all pages read back"), transcript);
        // one first touch for each 2 MiB chunk of the 32 MiB touched
        assertTrue(vms.exitCounts("capped").get(ExitKind.UNBACKED_MEMORY) >= 16, vms.exitCounts("capped").toString());
        vms.destroy("capped");
    }

    private static VmInfo awaitState(String name, VmState state) throws InterruptedException {
        while (true) {
            VmInfo info = vms.info(name).orElseThrow();
            if (info.state() == state) {
                return info;
            }
            assertTrue(info.state() == VmState.RUNNING, name + " is " + info.state() + " (" + info.failure() + "):\n"
                    + vms.console(name).transcript());
            Thread.sleep(20);
        }
    }

    private static int touchedMiB(String transcript) {
        Matcher touched = Pattern.compile("memtouch: touched (\\d+) MiB").matcher(transcript);
        int last = 0;
        while (touched.find()) {
            last = Integer.parseInt(touched.group(1));
        }
        return last;
    }

    private static long count(String stats, String vm, ExitKind kind, String bundle) {
        Matcher row = Pattern.compile("(?m)^" + vm + "\\s+" + kind + "\\s+" + Pattern.quote(bundle) + "\\s+(\\d+)$")
                .matcher(stats);
        assertTrue(row.find(), "no " + kind + " row for " + bundle + " in:\n" + stats);
        return Long.parseLong(row.group(1));
    }

    /** What a {@code dispatch:} command prints, called on the command service as the shell would. */
    private static String dispatch(String function, String... arguments) throws Exception {
        return (String) command("dispatch", function, arguments);
    }

    private static String vmInfo(String name) throws Exception {
        return (String) command("vm", "info", name);
    }

    private static Object command(String scope, String function, String... arguments) throws Exception {
        return CommandServices.call(framework, scope, function, arguments);
    }
}
