package io.pogo.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pogo.api.device.DeviceFactory;
import io.pogo.api.vm.DeviceRequest;
import io.pogo.api.vm.Firmware;
import io.pogo.api.vm.SnapshotSummary;
import io.pogo.api.vm.VmConfig;
import io.pogo.api.vm.VmInfo;
import io.pogo.api.vm.VmManager;
import io.pogo.api.vm.VmState;
import io.pogo.launcher.PogoFramework;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.ServiceRegistration;

/**
 * Snapshots written by one Pogo and restored by another process: a Linux guest counts on from where it stood, a
 * snapshot taken while it writes its disk leaves the file system whole (to the guest's own e2fsck and to the host's),
 * and files that are not whole snapshots are refused with one line each, leaving nothing behind.
 */
@Timeout(900)
class SnapshotTest {

    private static final Pattern COUNT = Pattern.compile("count (\\d+)\r?\n");
    private static final Pattern WROTE = Pattern.compile("wrote (\\d+) ([0-9a-f]{32})");
    /** The last line of an e2fsck run on the guest's disk: "pogo-data: 37/2048 files (0.0% non-contiguous), ...". */
    private static final Pattern FSCK_SUMMARY = Pattern.compile("pogo-data: \\d+/\\d+ files .*, \\d+/\\d+ blocks");

    private static PogoFramework framework;
    private static VmManager vms;

    @BeforeAll
    static void boot() throws Exception {
        framework = VmLifecycleTest.bootFramework(Map.of());
        vms = framework.awaitService(VmManager.class);
    }

    @AfterAll
    static void shutdown() {
        framework.close();
    }

    private static VmConfig linux(String name, String append, Path disk) throws Exception {
        Files.copy(LinuxGuestTest.linux("disk.img"), disk, StandardCopyOption.REPLACE_EXISTING);
        return new VmConfig(name, 2, 256L << 20, new Firmware.Builtin(), LinuxGuestTest.linux("Image"),
                LinuxGuestTest.linux("initramfs.cpio"), "console=ttyS0 " + append,
                List.of(new DeviceRequest("virtio-blk", Map.of("file", disk.toString()))));
    }

    /** {@code pogo run --restore FILE} in a process of its own, as a user runs it. */
    private static PogoCommandTest.Result restoreInNewProcess(Path snapshot) throws Exception {
        return PogoCommandTest.pogo(Duration.ofMinutes(6), "", "run", "--restore", snapshot.toString());
    }

    @Test
    void aLinuxGuestCountingOnItsConsoleCountsOnInANewProcessFromWhereItsSnapshotLeftIt(@TempDir Path dir)
            throws Exception {
        vms.create(linux("counter", "", dir.resolve("disk.img")));
        vms.start("counter");
        awaitTranscript(vms, "counter", "root@pogo:/# ");
        vms.console("counter").type("i=0; while [ $i -lt 40 ]; do echo count $i; i=$((i+1)); sleep 0.2; done;"
                .concat(" poweroff\n").getBytes(StandardCharsets.US_ASCII));
        awaitTranscript(vms, "counter", "count 5\r\n");
        Path snapshot = dir.resolve("counter.snap");
        SnapshotSummary written = vms.snapshot("counter", snapshot, true);
        String before = vms.console("counter").transcript();
        assertEquals(VmState.STOPPED, vms.info("counter").orElseThrow().state());
        assertEquals(Files.size(snapshot), written.fileBytes());
        vms.destroy("counter");
        List<Integer> countedBefore = counts(before);
        assertTrue(countedBefore.getLast() < 39, "the snapshot came after the count ended: " + before);

        PogoCommandTest.Result restored = restoreInNewProcess(snapshot);
        assertEquals(0, restored.status(), restored.out() + restored.err());
        assertTrue(restored.err().startsWith("pogo: restored counter from " + snapshot), restored.err());
        List<Integer> countedAfter = counts(restored.out());
        assertFalse(countedAfter.isEmpty(), "the restored guest counted nothing: " + restored.out());
        assertFalse(restored.out().contains("Linux version"), "the restored guest booted again: " + restored.out());
        // what the guest printed before the snapshot and after the restore is one console: 0 to 39, once each
        List<Integer> counted = counts(before + restored.out());
        assertEquals(IntStream.range(0, 40).boxed().toList(), counted, before + restored.out());
        assertTrue(restored.out().contains("reboot: Power down"), restored.out());
    }

    @Test
    void aSnapshotTakenWhileTheGuestWritesItsDiskRestoresWithTheFileSystemWhole(@TempDir Path dir)
            throws Exception {
        Path disk = dir.resolve("disk.img");
        // once it has written its files the guest unmounts its disk and checks it with its own e2fsck, whose exit
        // status becomes the exit status of pogo.run
        String writer = "i=0; while [ $i -lt 24 ]; do dd if=/dev/urandom of=/mnt/f$i bs=4096 count=32 2>/dev/null;"
                + " echo wrote $i $(md5sum < /mnt/f$i); i=$((i+1)); done; umount /mnt && e2fsck -f -n /dev/vda";
        vms.create(linux("writer", "pogo.quiet=1 pogo.run=\"" + writer + "\"", disk));
        vms.start("writer");
        awaitTranscript(vms, "writer", "wrote 3 ");
        Path snapshot = dir.resolve("writer.snap");
        vms.snapshot("writer", snapshot, true);
        String before = vms.console("writer").transcript();
        vms.destroy("writer");
        assertFalse(before.contains("wrote 23 "), "the writing ended before the snapshot: " + before);

        PogoCommandTest.Result restored = restoreInNewProcess(snapshot);
        String console = before + restored.out();
        assertTrue(restored.out().contains("pogo.run: exit 0"),
                "the guest's umount and e2fsck of its disk did not both succeed: " + console);
        Matcher guestSummary = FSCK_SUMMARY.matcher(restored.out());
        assertTrue(guestSummary.find(), "the guest's e2fsck did not finish its check: " + console);
        assertEquals(0, restored.status(), console + restored.err());

        String hostReport = hostE2fsck(disk);
        Matcher hostSummary = FSCK_SUMMARY.matcher(hostReport);
        assertTrue(hostSummary.find(), hostReport);
        assertEquals(hostSummary.group(), guestSummary.group(), "the guest's e2fsck saw another file system");

        Map<Integer, String> written = new LinkedHashMap<>();
        for (Matcher wrote = WROTE.matcher(console); wrote.find(); ) {
            written.put(Integer.parseInt(wrote.group(1)), wrote.group(2));
        }
        assertEquals(24, written.size(), console);
        for (Map.Entry<Integer, String> file : written.entrySet()) {
            assertEquals(file.getValue(), md5(readFromImage(disk, "/f" + file.getKey())),
                    "f" + file.getKey() + " on the disk is not what the guest wrote");
        }
    }

    @Test
    void filesThatAreNotWholeSnapshotsAreRefusedWithOneLineAndExitTwoLeavingNothing(@TempDir Path dir)
            throws Exception {
        Path good = echoSnapshot(dir, "source");
        byte[] bytes = Files.readAllBytes(good);
        Path truncated = Files.write(dir.resolve("truncated.snap"), Arrays.copyOf(bytes, bytes.length / 2));
        byte[] flipped = bytes.clone();
        flipped[flipped.length / 2] ^= 0x10;
        Path corrupted = Files.write(dir.resolve("corrupted.snap"), flipped);
        Path foreign = Files.copy(Guests.elf("hello.elf"), dir.resolve("foreign.snap"));
        byte[] newer = bytes.clone();
        ByteBuffer.wrap(newer).putInt(8, 2);
        Path newerVersion = Files.write(dir.resolve("newer.snap"), newer);
        Map<Path, String> cases = new LinkedHashMap<>();
        cases.put(truncated, "is truncated");
        cases.put(corrupted, "is corrupted: its checksum does not match its contents");
        cases.put(foreign, "is not a Pogo snapshot");
        cases.put(newerVersion, "is a snapshot of format version 2, which this Pogo cannot read");
        cases.put(dir.resolve("absent.snap"), "does not exist");
        for (Map.Entry<Path, String> bad : cases.entrySet()) {
            PogoCommandTest.Result run = PogoCommandTest.pogo("", "run", "--restore", bad.getKey().toString());
            PogoCommandTest.assertUsageError(run, "snapshot " + bad.getKey() + " " + bad.getValue());
            assertEquals("", run.out());

            List<String> vmsBefore = vms.list().stream().map(VmInfo::name).toList();
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                    () -> vms.restore(bad.getKey(), "restored"));
            assertTrue(refused.getMessage().contains(bad.getValue()), refused.getMessage());
            assertEquals(vmsBefore, vms.list().stream().map(VmInfo::name).toList(), "a VM was left behind");
        }
    }

    @Test
    void aBareMetalGuestRestoredBesideItsOriginalRunsOnAsItDoes(@TempDir Path dir) throws Exception {
        Path snapshot = echoSnapshot(dir, "echo-a");
        vms.restore(snapshot, "echo-b");
        assertEquals(VmState.RUNNING, vms.info("echo-b").orElseThrow().state());
        vms.console("echo-b").type("snapshot\n".getBytes(StandardCharsets.US_ASCII));
        awaitTranscript(vms, "echo-b", "SNAPSHOT\n");
        assertFalse(vms.console("echo-b").transcript().contains("echo ready"),
                "the restored guest started over: " + vms.console("echo-b").transcript());
        vms.console("echo-a").type("original\n".getBytes(StandardCharsets.US_ASCII));
        awaitTranscript(vms, "echo-a", "ORIGINAL\n");
        IllegalArgumentException taken = assertThrows(IllegalArgumentException.class,
                () -> vms.restore(snapshot, "echo-b"));
        assertEquals("a VM named echo-b already exists", taken.getMessage());
        vms.destroy("echo-a");
        vms.destroy("echo-b");
    }

    @Test
    void aVmWithADeviceThatCannotSaveItsStateIsRefusedNamingTheDeviceAndRunsOn(@TempDir Path dir)
            throws Exception {
        ServiceRegistration<DeviceFactory> stateless = framework.context().registerService(DeviceFactory.class,
                new ThrowingDeviceFactory(offset -> new IllegalStateException("never read")),
                new Hashtable<>(Map.of(DeviceFactory.TYPE, "stateless")));
        try {
            startEcho(vms, "keeper", List.of(new DeviceRequest("stateless", Map.of())));
            Path file = dir.resolve("keeper.snap");
            IllegalStateException refused = assertThrows(IllegalStateException.class,
                    () -> vms.snapshot("keeper", file, false));
            assertEquals("VM keeper cannot be snapshotted: its device stateless does not save its state",
                    refused.getMessage());
            assertFalse(Files.exists(file));
            assertEquals(VmState.RUNNING, vms.info("keeper").orElseThrow().state());
            vms.destroy("keeper");
        } finally {
            stateless.unregister();
        }
    }

    @Test
    void aDiskThatChangedSizeSinceTheSnapshotIsRefusedAndNothingIsLeft(@TempDir Path dir) throws Exception {
        Path disk = Files.write(dir.resolve("data.img"), new byte[1 << 20]);
        startEcho(vms, "sized", List.of(new DeviceRequest("virtio-blk", Map.of("file", disk.toString()))));
        Path snapshot = dir.resolve("sized.snap");
        vms.snapshot("sized", snapshot, true);
        vms.destroy("sized");
        Files.write(disk, new byte[2 << 20]);

        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> vms.restore(snapshot, null));
        assertEquals("cannot restore snapshot " + snapshot + ": disk " + disk + " is 2097152 bytes now but was"
                + " 1048576 bytes at the snapshot", refused.getMessage());
        assertTrue(vms.info("sized").isEmpty(), "a VM was left behind");
        // the disk's lock went with the VM that was not made: the file can be restored into once it fits again
        Files.write(disk, new byte[1 << 20]);
        vms.restore(snapshot, null);
        assertEquals(VmState.RUNNING, vms.info("sized").orElseThrow().state());
        vms.destroy("sized");
    }

    /** echo.elf, a bare-metal guest that echoes its console upper-cased, with {@code devices}, started and ready. */
    static void startEcho(VmManager vms, String name, List<DeviceRequest> devices) throws InterruptedException {
        vms.create(new VmConfig(name, 1, 64L << 20, new Firmware.None(), Guests.elf("echo.elf"), null, "", devices));
        vms.start(name);
        awaitTranscript(vms, name, "echo ready");
    }

    /** A snapshot of echo.elf, left running. */
    private static Path echoSnapshot(Path dir, String name) throws Exception {
        startEcho(vms, name, List.of());
        Path snapshot = dir.resolve(name + ".snap");
        vms.snapshot(name, snapshot, false);
        assertEquals(VmState.RUNNING, vms.info(name).orElseThrow().state());
        return snapshot;
    }

    private static List<Integer> counts(String console) {
        List<Integer> counts = new ArrayList<>();
        for (Matcher count = COUNT.matcher(console); count.find(); ) {
            counts.add(Integer.parseInt(count.group(1)));
        }
        return counts;
    }

    /** The report of the host's {@code e2fsck -f -n} on an ext2 image, which it must find clean. */
    static String hostE2fsck(Path image) throws Exception {
        Process fsck = new ProcessBuilder("e2fsck", "-f", "-n", image.toString()).redirectErrorStream(true).start();
        String report = new String(fsck.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, fsck.waitFor(), "e2fsck finds the file system damaged: " + report);
        return report;
    }

    /** A file of the ext2 image, read by debugfs on the host. */
    static byte[] readFromImage(Path image, String file) throws Exception {
        Process debugfs = new ProcessBuilder("debugfs", "-R", "cat " + file, image.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        debugfs.getInputStream().transferTo(out);
        assertEquals(0, debugfs.waitFor());
        return out.toByteArray();
    }

    static String md5(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data));
    }

    static void awaitTranscript(VmManager vms, String vm, String text) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (!vms.console(vm).transcript().contains(text)) {
            assertTrue(System.nanoTime() < deadline, vm + " never printed " + text + ": "
                    + vms.console(vm).transcript());
            Thread.sleep(50);
        }
    }
}
