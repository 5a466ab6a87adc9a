package io.pogo.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pogo.api.allocator.AllocatorControl;
import io.pogo.api.allocator.PolicyKind;
import io.pogo.api.allocator.PolicySwap;
import io.pogo.api.vm.Firmware;
import io.pogo.api.vm.VmConfig;
import io.pogo.api.vm.VmInfo;
import io.pogo.api.vm.VmManager;
import io.pogo.api.vm.VmState;
import io.pogo.launcher.PogoFramework;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;

/**
 * The allocator in a real Felix with two host CPUs: scheduling shares under each policy, policy swaps while VMs
 * run, a third-party policy bundle installed at run time, and on-demand memory. Shares are measured in
 * instructions retired over an interval while every VM is busy with the reference workload (bench-small.elf).
 */
@Timeout(300)
class AllocatorPoliciesTest {

    private static final String CHECKSUM = "bench: checksum 0x6076ab2538452598";
    private static final Duration WARM_UP = Duration.ofMillis(700);
    private static final Duration INTERVAL = Duration.ofMillis(1200);

    private static PogoFramework framework;
    private static VmManager vms;
    private static AllocatorControl allocator;

    @BeforeAll
    static void boot() throws Exception {
        framework = VmLifecycleTest.bootFramework(Map.of("pogo.host.cpus", "2"));
        vms = (VmManager) framework.context().getService(
                framework.awaitService("(objectClass=" + VmManager.class.getName() + ")"));
        allocator = (AllocatorControl) framework.context().getService(
                framework.awaitService("(objectClass=" + AllocatorControl.class.getName() + ")"));
    }

    @AfterAll
    static void shutdown() {
        framework.close();
    }

    static Path benchSmall() {
        Path bench = Guests.root().resolve("../shared/bench/bench-small.elf").normalize();
        assertTrue(Files.isRegularFile(bench), "the reference workload " + bench + " is missing");
        return bench;
    }

    /** The long reference workload, for measurements that need every VM busy for seconds. */
    static Path bench() {
        return benchSmall().resolveSibling("bench.elf");
    }

    private static List<String> startBenchVms(String prefix, int count) throws InterruptedException {
        return startVms(prefix, count, benchSmall());
    }

    private static List<String> startVms(String prefix, int count, Path kernel) throws InterruptedException {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String name = prefix + i;
            vms.create(new VmConfig(name, 1, 64L << 20, new Firmware.None(), kernel, null, "", List.of()));
            names.add(name);
        }
        for (String name : names) {
            vms.start(name);
        }
        return names;
    }

    /** Instructions each VM retired over the interval, all of them busy throughout. */
    private static Map<String, Long> sharesOverInterval(List<String> names) throws InterruptedException {
        return sharesOverInterval(names, WARM_UP, INTERVAL);
    }

    private static Map<String, Long> sharesOverInterval(List<String> names, Duration warmUp, Duration interval)
            throws InterruptedException {
        Thread.sleep(warmUp.toMillis());
        Map<String, Long> before = retired(names);
        Thread.sleep(interval.toMillis());
        Map<String, Long> after = retired(names);
        Map<String, Long> delta = new LinkedHashMap<>();
        for (String name : names) {
            assertEquals(VmState.RUNNING, vms.info(name).orElseThrow().state(),
                    name + " finished before the interval ended: shares would not be comparable");
            delta.put(name, after.get(name) - before.get(name));
        }
        return delta;
    }

    private static Map<String, Long> retired(List<String> names) {
        Map<String, Long> retired = new LinkedHashMap<>();
        names.forEach(name -> retired.put(name, vms.info(name).orElseThrow().instructionsRetired()));
        return retired;
    }

    private static void awaitChecksums(List<String> names) throws InterruptedException {
        for (String name : names) {
            VmInfo end = vms.awaitTermination(name, Duration.ofSeconds(120)).orElseThrow();
            assertEquals(VmState.STOPPED, end.state(), name + ": " + end.failure());
            assertEquals(0, end.exitStatus(), name);
            assertTrue(vms.console(name).transcript().contains(CHECKSUM), vms.console(name).transcript());
            vms.destroy(name);
        }
    }

    private static double fraction(Map<String, Long> shares, List<String> some) {
        long total = shares.values().stream().mapToLong(Long::longValue).sum();
        return some.stream().mapToLong(shares::get).sum() / (double) total;
    }

    @Test
    void roundRobinGivesFourVmsEqualShares() throws InterruptedException {
        allocator.use(PolicyKind.SCHEDULING, "round-robin");
        List<String> names = startBenchVms("rr", 4);
        Map<String, Long> shares = sharesOverInterval(names);
        System.out.println("round-robin shares (instructions): " + shares);
        for (String name : names) {
            assertEquals(0.25, fraction(shares, List.of(name)), 0.025, name + " in " + shares);
        }
        awaitChecksums(names);
    }

    @Test
    void creditWithWeightsOneToThreeGivesAQuarterAndThreeQuarters() throws InterruptedException {
        allocator.use(PolicyKind.SCHEDULING, "credit");
        try {
            for (String light : List.of("cr0", "cr1")) {
                allocator.weight(light, 1);
            }
            for (String heavy : List.of("cr2", "cr3")) {
                allocator.weight(heavy, 3);
            }
            List<String> names = startVms("cr", 4, bench());
            Map<String, Long> shares = sharesOverInterval(names, Duration.ofMillis(2500), Duration.ofMillis(2000));
            System.out.println("credit 1:1:3:3 shares (instructions): " + shares);
            names.forEach(vms::destroy);
            assertEquals(0.25, fraction(shares, List.of("cr0", "cr1")), 0.05, shares.toString());
            assertEquals(0.75, fraction(shares, List.of("cr2", "cr3")), 0.05, shares.toString());
        } finally {
            allocator.use(PolicyKind.SCHEDULING, "round-robin");
        }
    }

    @Test
    void swappingPoliciesWhileVmsRunStopsNothing() throws InterruptedException {
        List<String> names = startBenchVms("swap", 4);
        List<Long> pauses = new ArrayList<>();
        for (int swap = 0; swap < 20; swap++) {
            Thread.sleep(50);
            PolicySwap done = allocator.use(PolicyKind.SCHEDULING, swap % 2 == 0 ? "credit" : "round-robin");
            pauses.add(done.pauseNanos());
            for (String name : names) {
                assertEquals(VmState.RUNNING, vms.info(name).orElseThrow().state(), "no VM stops for a swap");
            }
        }
        allocator.use(PolicyKind.SCHEDULING, "round-robin");
        List<Long> sorted = pauses.stream().sorted().toList();
        System.out.printf("policy swaps: %d, dispatch pause median %.1f µs, max %.1f µs%n", sorted.size(),
                sorted.get(sorted.size() / 2) / 1000.0, sorted.getLast() / 1000.0);
        awaitChecksums(names);
    }

    @Test
    void aPolicyBundleInstalledAtRunTimeIsSelectedTakesEffectAndFallsBackWhenStopped() throws Exception {
        Path jar = Guests.root().resolve("examples/policy-lottery/target/policy-lottery-0.1.0-SNAPSHOT.jar");
        Bundle lottery = framework.context().installBundle(jar.toUri().toString());
        lottery.start();
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!allocator.available(PolicyKind.SCHEDULING).contains("lottery") && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            allocator.use(PolicyKind.SCHEDULING, "lottery");
            assertEquals("lottery", allocator.active(PolicyKind.SCHEDULING));
            allocator.weight("lot2", 3);
            allocator.weight("lot3", 3);
            List<String> names = startBenchVms("lot", 4);
            Map<String, Long> shares = sharesOverInterval(names);
            System.out.println("lottery 1:1:3:3 shares (instructions): " + shares);
            double heavy = fraction(shares, List.of("lot2", "lot3"));
            assertTrue(heavy > 0.6 && heavy < 0.8, "tickets by weight give the heavy VMs about 68%, round robin "
                    + "would give 50%: " + shares);

            lottery.stop();
            assertEquals("round-robin", allocator.active(PolicyKind.SCHEDULING), "falls back to the default");
            long before = vms.info("lot0").orElseThrow().instructionsRetired();
            Thread.sleep(200);
            VmInfo after = vms.info("lot0").orElseThrow();
            assertEquals(VmState.RUNNING, after.state());
            assertTrue(after.instructionsRetired() > before, "the VM runs on under the default policy");
            awaitChecksums(names);
        } finally {
            lottery.uninstall();
        }
    }

    @Test
    void onDemandMemoryBacksOnlyWhatTheGuestTouches() throws InterruptedException {
        allocator.use(PolicyKind.MEMORY, "on-demand");
        try {
            vms.create(new VmConfig("sparse", 1, 1L << 30, new Firmware.None(), Guests.elf("echo.elf"), null, "",
                    List.of()));
            vms.start("sparse");
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!vms.console("sparse").transcript().contains("echo ready") && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            VmInfo info = vms.info("sparse").orElseThrow();
            System.out.printf("on-demand: %d MiB configured, %d KiB resident%n", info.memoryBytes() >> 20,
                    info.residentBytes() >> 10);
            assertEquals(1L << 30, info.memoryBytes());
            assertTrue(info.residentBytes() > 0 && info.residentBytes() < 16L << 20, info.toString());
            vms.destroy("sparse");
        } finally {
            allocator.use(PolicyKind.MEMORY, "eager");
        }
    }
}
