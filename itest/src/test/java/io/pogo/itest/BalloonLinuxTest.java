package io.pogo.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pogo.api.allocator.AllocatorControl;
import io.pogo.api.allocator.PolicyKind;
import io.pogo.api.allocator.LimitedResource;
import io.pogo.api.allocator.MemoryAllocator;
import io.pogo.api.allocator.RateLimit;
import io.pogo.api.vm.DeviceRequest;
import io.pogo.api.vm.Firmware;
import io.pogo.api.vm.VmConfig;
import io.pogo.api.vm.VmInfo;
import io.pogo.api.vm.VmManager;
import io.pogo.api.vm.VmState;
import io.pogo.launcher.PogoFramework;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The allocator's hold on a running Linux guest: its virtio-balloon driver gives memory back when {@code alloc:mem}
 * asks (the guest's MemTotal and the host's resident memory of the VM drop) and takes it again when asked, and a
 * disk rate limit set while the guest runs holds for its {@code dd}.
 */
@Timeout(600)
class BalloonLinuxTest {

    private static final long MIB = 1 << 20;
    private static final long RATE = 256 << 10;
    private static final Duration WAIT = Duration.ofMinutes(4);
    private static PogoFramework framework;
    private static VmManager vms;
    private static AllocatorControl control;
    private static MemoryAllocator memory;

    @TempDir
    Path dir;

    @BeforeAll
    static void boot() throws Exception {
        framework = VmLifecycleTest.bootFramework(Map.of());
        vms = framework.awaitService(VmManager.class);
        control = framework.awaitService(AllocatorControl.class);
        memory = framework.awaitService(MemoryAllocator.class);
        // the state directory is shared with other test classes: RAM must be backed on demand whatever they chose
        control.use(PolicyKind.MEMORY, "on-demand");
    }

    @AfterAll
    static void shutdown() {
        framework.close();
    }

    private static VmConfig linux(String name, String script, List<DeviceRequest> devices) {
        return new VmConfig(name, 1, 256 * MIB, new Firmware.Builtin(), LinuxGuestTest.linux("Image"),
                LinuxGuestTest.linux("initramfs.cpio"), "console=ttyS0 quiet pogo.quiet=1 pogo.run=\"" + script + "\"",
                devices);
    }

    /**
     * Waits until the guest has printed a line matching {@code marker}; fails with the transcript if it stops first.
     * The markers carry a number the script computes, so the echo of the script itself never matches them.
     */
    private static String awaitOutput(String vm, String marker) throws InterruptedException {
        Pattern line = Pattern.compile("(?m)^" + marker + "\\r?$");
        Instant deadline = Instant.now().plus(WAIT);
        while (Instant.now().isBefore(deadline)) {
            String transcript = vms.console(vm).transcript();
            if (line.matcher(transcript).find()) {
                return transcript;
            }
            VmState state = vms.info(vm).orElseThrow().state();
            if (state != VmState.RUNNING && state != VmState.PAUSED) {
                throw new AssertionError(vm + " ended before printing '" + marker + "': " + transcript);
            }
            Thread.sleep(100);
        }
        throw new AssertionError(vm + " did not print '" + marker + "': " + vms.console(vm).transcript());
    }

    private static void finished(String vm) throws InterruptedException {
        VmInfo end = vms.awaitTermination(vm, WAIT).orElseThrow();
        String transcript = vms.console(vm).transcript();
        assertEquals(VmState.STOPPED, end.state(), end.failure() + ": " + transcript);
        assertEquals(0, end.exitStatus(), transcript);
    }

    /** The guest's MemTotal in KiB, printed by the script as "LABEL N" on a line of its own. */
    private static long total(String transcript, String label) {
        Matcher matcher = Pattern.compile("(?m)^" + label + " (\\d+)\\r?$").matcher(transcript);
        assertTrue(matcher.find(), label + " missing: " + transcript);
        return Long.parseLong(matcher.group(1));
    }

    /**
     * The guest fills 160M of a tmpfs and deletes it (its host pages stay resident), then waits for its MemTotal to
     * drop and come back. {@code alloc:mem} 96M asks for a balloon of 160M; 256M gives it all back.
     */
    @Test
    void balloonInflatesOnAllocMemAndDeflatesBack() throws Exception {
        String script = "t(){ set -- $(grep MemTotal /proc/meminfo); echo $2; }; mkdir /tmp/b;"
                + " mount -t tmpfs -o size=200m t /tmp/b; dd if=/dev/zero of=/tmp/b/f bs=1M count=160 2>/dev/null;"
                + " rm /tmp/b/f; t0=$(t); free; echo before $t0;"
                + " while [ $(t) -gt $((t0-163840)) ]; do sleep 1; done; echo inflated $(t); free;"
                + " while [ $(t) -lt $t0 ]; do sleep 1; done; echo deflated $(t); free";
        vms.create(linux("ballooned", script,
                List.of(new DeviceRequest("virtio-balloon", Map.of()))));
        vms.start("ballooned");
        String before = awaitOutput("ballooned", "before \\d+");
        long residentBefore = vms.info("ballooned").orElseThrow().residentBytes();

        control.memoryTarget("ballooned", 96 * MIB);
        String inflated = awaitOutput("ballooned", "inflated \\d+");
        // the guest sees its memory shrink page by page, and reports the balloon's size to the device after that
        long ballooned = 0;
        Instant deadline = Instant.now().plus(WAIT);
        while (ballooned < 160 * MIB && Instant.now().isBefore(deadline)) {
            ballooned = memory.balloon("ballooned").orElseThrow().balloonedBytes();
            Thread.sleep(ballooned < 160 * MIB ? 100 : 0);
        }
        long residentInflated = vms.info("ballooned").orElseThrow().residentBytes();
        String info = vmInfo("ballooned");

        control.memoryTarget("ballooned", 256 * MIB);
        String deflated = awaitOutput("ballooned", "deflated \\d+");
        finished("ballooned");

        long totalBefore = total(before, "before");
        long totalInflated = total(inflated, "inflated");
        System.out.printf("balloon: guest MemTotal %d KiB -> %d KiB -> %d KiB; host resident %d MiB -> %d MiB;"
                        + " %d MiB ballooned%n", totalBefore, totalInflated, total(deflated, "deflated"),
                residentBefore / MIB, residentInflated / MIB, ballooned / MIB);
        assertEquals(160 * MIB, ballooned, "the driver reports the whole balloon in actual");
        assertTrue(totalInflated <= totalBefore - 160 * 1024, "the guest lost 160M: " + inflated);
        assertEquals(totalBefore, total(deflated, "deflated"), deflated);
        assertTrue(residentInflated <= residentBefore - 64 * MIB,
                "the host got back at least the touched part of the balloon: %d MiB then %d MiB"
                        .formatted(residentBefore / MIB, residentInflated / MIB));
        assertTrue(info.contains("160M ballooned (target 160M)"), info);
    }

    /**
     * With free-page reporting the guest hands the host the pages it frees without being asked: after it deleted
     * 160M of tmpfs, the host's resident memory of the VM falls, with no balloon target set.
     */
    @Test
    void reportedFreePagesGoBackToTheHostUnasked() throws Exception {
        String script = "mkdir /tmp/b; mount -t tmpfs -o size=200m t /tmp/b;"
                + " dd if=/dev/zero of=/tmp/b/f bs=1M count=160 2>/dev/null; echo filled $((160));"
                + " read x; rm /tmp/b/f; echo freed $((160)); read x";
        vms.create(linux("reporting", script,
                List.of(new DeviceRequest("virtio-balloon", Map.of("free-page-reporting", "on")))));
        vms.start("reporting");
        awaitOutput("reporting", "filled 160");
        long filled = vms.info("reporting").orElseThrow().residentBytes();
        vms.console("reporting").type("\n".getBytes(StandardCharsets.US_ASCII));
        awaitOutput("reporting", "freed 160");
        long resident = filled;
        Instant deadline = Instant.now().plus(WAIT);
        while (resident > filled - 64 * MIB && Instant.now().isBefore(deadline)) {
            Thread.sleep(500);
            resident = vms.info("reporting").orElseThrow().residentBytes();
        }
        vms.console("reporting").type("\n".getBytes(StandardCharsets.US_ASCII));
        finished("reporting");
        System.out.printf("free-page reporting: host resident %d MiB with 160M in tmpfs, %d MiB after rm%n",
                filled / MIB, resident / MIB);
        assertTrue(resident <= filled - 64 * MIB, "reported pages went back: %d MiB then %d MiB"
                .formatted(filled / MIB, resident / MIB));
        assertEquals(0, memory.balloon("reporting").map(balloon -> balloon.balloonedBytes()).orElse(0L));
    }

    /**
     * The guest reads 2 MiB unlimited, then 2 MiB after the host set a limit of 256 KiB/s (a bucket of as much, no
     * burst) while it waited: the second read moves no more than rate × elapsed + the bucket, by the guest's own
     * clock. Each read covers disk blocks read for the first time, far apart, so every byte comes from the device.
     */
    @Test
    void aDiskLimitSetLiveHoldsForDd() throws Exception {
        Path scratch = dir.resolve("scratch.img");
        try (RandomAccessFile file = new RandomAccessFile(scratch.toFile(), "rw")) {
            file.setLength(16 * MIB);
        }
        String read = "cat /proc/uptime; dd if=/dev/vda of=/dev/null bs=64k skip=%d count=32; cat /proc/uptime";
        String script = read.formatted(32) + "; echo waiting $((6*7)); read x; " + read.formatted(128);
        vms.create(linux("limited", script, List.of(new DeviceRequest("virtio-blk",
                Map.of("file", scratch.toString())))));
        vms.start("limited");
        awaitOutput("limited", "waiting 42");
        control.limit("limited", LimitedResource.DISK, new RateLimit(RATE, 0, 0, 0));
        vms.console("limited").type("\n".getBytes(StandardCharsets.US_ASCII));
        finished("limited");

        Matcher uptimes = Pattern.compile("(?m)^(\\d+\\.\\d+) \\d+\\.\\d+\\r?$")
                .matcher(vms.console("limited").transcript());
        double[] stamps = new double[4];
        for (int i = 0; i < 4; i++) {
            assertTrue(uptimes.find(), vms.console("limited").transcript());
            stamps[i] = Double.parseDouble(uptimes.group(1));
        }
        double free = stamps[1] - stamps[0];
        double limited = stamps[3] - stamps[2];
        long bytes = 2 * MIB;
        System.out.printf("disk limit: 2 MiB unlimited in %.2f s (%.0f KiB/s); at %d KiB/s in %.2f s (%.0f KiB/s)%n",
                free, 2048 / free, RATE >> 10, limited, 2048 / limited);
        assertTrue(bytes <= RATE * limited + RATE, "2 MiB in %.2f s is more than %d KiB/s and a bucket of as much allow"
                .formatted(limited, RATE >> 10));
    }

    /** What {@code vm:info} prints, called on the command service as the shell would. */
    private static String vmInfo(String vm) throws Exception {
        return (String) CommandServices.call(framework, "vm", "info", vm);
    }
}
