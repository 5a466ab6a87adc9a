package io.pogo.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pogo.api.allocator.AllocatorControl;
import io.pogo.api.allocator.PolicyKind;
import io.pogo.api.allocator.PolicySwap;
import io.pogo.api.allocator.SchedulingUsage;
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
    /** Quanta every VM runs before shares are measured. */
    private static final long WARM_UP_QUANTA = 50;
    /** Quanta handed out (all VMs together) while shares are measured. */
    private static final long MEASURED_QUANTA = 1200;
    private static PogoFramework framework;
    private static VmManager vms;
    private static AllocatorControl allocator;

    @BeforeAll
    static void boot() throws Exception {
        framework = VmLifecycleTest.bootFramework(Map.of("pogo.host.cpus", "2"));
        vms = framework.awaitService(VmManager.class);
        allocator = framework.awaitService(AllocatorControl.class);
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

    /**
     * What the scheduler handed each VM while it handed out {@code quanta} quanta in all, after every VM has had
     * {@value #WARM_UP_QUANTA} (its hot code compiled). Measured in the policy's own units, not in wall time, so a
     * busy or slow host changes how long it takes, not what it shows; every VM runs the long reference workload,
     * which lasts far longer than the measurement on any host.
     */
    private static Map<String, SchedulingUsage> usageOver(List<String> names, long quanta) throws InterruptedException {
        awaitQuanta(names, WARM_UP_QUANTA, name -> usage(List.of(name)).get(name).quanta());
        Map<String, SchedulingUsage> before = usage(names);
        long first = total(before).quanta();
        awaitQuanta(names, first + quanta, name -> total(usage(names)).quanta());
        Map<String, SchedulingUsage> after = usage(names);
        Map<String, SchedulingUsage> delta = new LinkedHashMap<>();
        for (String name : names) {
            delta.put(name, new SchedulingUsage(after.get(name).quanta() - before.get(name).quanta(),
                    after.get(name).hostCpuNanos() - before.get(name).hostCpuNanos()));
        }
        return delta;
    }

    /** Waits until {@code count} reaches {@code target} for every VM, each still running. */
    private static void awaitQuanta(List<String> names, long target, java.util.function.ToLongFunction<String> count)
            throws InterruptedException {
        for (String name : names) {
            while (count.applyAsLong(name) < target) {
                for (String each : names) {
                    assertEquals(VmState.RUNNING, vms.info(each).orElseThrow().state(), each + " stopped: "
                            + vms.info(each).orElseThrow().failure());
                }
                Thread.sleep(20);
            }
        }
    }

    private static Map<String, SchedulingUsage> usage(List<String> names) {
        Map<String, SchedulingUsage> usage = new LinkedHashMap<>();
        names.forEach(name -> usage.put(name, allocator.usage(name)));
        return usage;
    }

    private static SchedulingUsage total(Map<String, SchedulingUsage> usage) {
        return usage.values().stream().reduce(SchedulingUsage.NONE, SchedulingUsage::plus);
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

    private static double quantaFraction(Map<String, SchedulingUsage> shares, List<String> some) {
        return some.stream().mapToLong(name -> shares.get(name).quanta()).sum() / (double) total(shares).quanta();
    }

    private static double cpuFraction(Map<String, SchedulingUsage> shares, List<String> some) {
        return some.stream().mapToLong(name -> shares.get(name).hostCpuNanos()).sum()
                / (double) total(shares).hostCpuNanos();
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
            Map<String, SchedulingUsage> shares = usageOver(names, MEASURED_QUANTA);
            System.out.println("credit 1:1:3:3 shares: " + shares);
            names.forEach(vms::destroy);
            assertEquals(0.25, cpuFraction(shares, List.of("cr0", "cr1")), 0.05, shares.toString());
            assertEquals(0.75, cpuFraction(shares, List.of("cr2", "cr3")), 0.05, shares.toString());
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
            List<String> names = startVms("lot", 4, bench());
            Map<String, SchedulingUsage> shares = usageOver(names, MEASURED_QUANTA);
            System.out.println("lottery 1:1:3:3 shares: " + shares);
            double heavy = quantaFraction(shares, List.of("lot2", "lot3"));
            assertTrue(heavy > 0.6 && heavy < 0.8, "tickets by weight give the heavy VMs about 68%, round robin "
                    + "would give 50%: " + shares);

            lottery.stop();
            assertEquals("round-robin", allocator.active(PolicyKind.SCHEDULING), "falls back to the default");
            long before = allocator.usage("lot0").quanta();
            awaitQuanta(List.of("lot0"), before + 10, name -> allocator.usage(name).quanta());
            names.forEach(vms::destroy);
        } finally {
            lottery.uninstall();
        }
    }

    @Test
    void onDemandMemoryBacksOnlyWhatTheGuestTouches() throws InterruptedException {
        PolicySwap swap = allocator.use(PolicyKind.MEMORY, "on-demand");
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
            allocator.use(PolicyKind.MEMORY, swap.from());
        }
    }
}
