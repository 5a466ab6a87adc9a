package io.pogo.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pogo.api.vm.DeviceRequest;
import io.pogo.api.vm.Firmware;
import io.pogo.api.vm.MigrationSummary;
import io.pogo.api.vm.VmConfig;
import io.pogo.api.vm.VmConsole;
import io.pogo.api.vm.VmManager;
import io.pogo.api.vm.VmState;
import io.pogo.launcher.PogoFramework;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Live migration between Pogo processes: a Linux guest that pings a VM staying behind moves to a second Pogo
 * process (its switch linked to ours over UDP) and keeps receiving replies; one that writes its disk moves while it
 * writes, one process at a time holding the disk, and leaves the file system whole; a migration that cannot complete
 * leaves the VM running where it was, its disk its own again.
 */
@Timeout(600)
class MigrationTest {

    private static final Pattern REPLY = Pattern.compile("bytes from 10\\.0\\.2\\.16: seq=(\\d+)");
    private static final Pattern SUMMARY = Pattern.compile("(\\d+) packets transmitted, (\\d+) packets received");
    private static final int PINGS = 30;
    private static final Pattern WROTE = Pattern.compile("wrote (\\d+)");
    private static final Pattern SUM = Pattern.compile("([0-9a-f]{32})  (f\\d+)");
    /**
     * Writes 64 KiB files round and round (synced, so each reaches the disk) until a line comes in on the console,
     * then prints their checksums.
     */
    private static final String WRITER = "exec 3<&0; (read line <&3; touch /tmp/stop) & i=0;"
            + " while [ ! -e /tmp/stop ]; do dd if=/dev/urandom of=/mnt/f$((i % 8)) bs=4096 count=16 2>/dev/null;"
            + " sync; echo wrote $i; i=$((i+1)); done; cd /mnt && md5sum f*";

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

    @Test
    void aPingingLinuxGuestMovesToAnotherPogoAndKeepsGettingReplies(@TempDir Path dir) throws Exception {
        int here = PortFinder.freeUdpPort();
        int there = PortFinder.freeUdpPort();
        int migrationPort = freeTcpPort();
        vms.create(linuxVm("responder", "pogo.ip=10.0.2.16/24", Map.of("switch", "lan0",
                "udp", "127.0.0.1:" + here, "peer", "127.0.0.1:" + there)));
        vms.start("responder");
        SnapshotTest.awaitTranscript(vms, "responder", "root@pogo:/# ");

        Path etc = Files.createDirectories(dir.resolve("etc"));
        Path state = Files.createDirectories(dir.resolve("state"));
        ProcessBuilder builder = new ProcessBuilder(Guests.root().resolve("pogo").toString());
        builder.environment().putAll(Map.of("POGO_ETC", etc.toString(), "POGO_STATE", state.toString()));
        builder.redirectErrorStream(true);
        Process target = builder.start();
        StringBuffer targetOut = new StringBuffer();
        CompletableFuture<Void> reading = CompletableFuture.runAsync(() -> collect(target.getInputStream(), targetOut));
        try (OutputStream targetIn = target.getOutputStream()) {
            targetIn.write(("net:link lan0 udp 127.0.0.1:" + there + " 127.0.0.1:" + here + "\nvm:receive "
                    + migrationPort + "\nvm:console pinger\n").getBytes(StandardCharsets.UTF_8));
            targetIn.flush();

            vms.create(linuxVm("pinger", "pogo.ip=10.0.2.15/24 pogo.run=\"ping -c " + PINGS + " 10.0.2.16\"",
                    Map.of("switch", "lan0")));
            vms.start("pinger");
            SnapshotTest.awaitTranscript(vms, "pinger", "seq=3 ");
            await(targetOut, "waiting for a VM on");

            List<String> progress = new ArrayList<>();
            List<Integer> before = replies(vms.console("pinger").transcript());
            assertTrue(before.contains(3), "replies before the migration");
            MigrationSummary summary = vms.migrate("pinger", "127.0.0.1", migrationPort, progress::add);
            assertTrue(vms.info("pinger").isEmpty(), "the source forgets the VM once it runs there");
            assertEquals(256L << 20, summary.memoryBytes());
            assertTrue(summary.rounds() >= 2, "pre-copy rounds and the stop-and-copy: " + summary);
            assertTrue(!progress.isEmpty() && progress.getFirst().startsWith("migrating pinger: round 1"),
                    progress.toString());

            await(targetOut, "packets received");
            String after = targetOut.toString();
            Matcher totals = SUMMARY.matcher(after);
            assertTrue(totals.find(), after);
            assertEquals(PINGS, Integer.parseInt(totals.group(1)), after);
            int received = Integer.parseInt(totals.group(2));
            assertTrue(received >= PINGS - 3, "at most a few replies lost: " + received + " of " + PINGS + "\n" + after);
            assertTrue(replies(after).contains(PINGS - 1), "the last ping was answered on the target: " + after);
            assertTrue(after.contains("received pinger: 256M"), after);
        } finally {
            if (!target.waitFor(60, TimeUnit.SECONDS)) {
                target.destroyForcibly().waitFor();
            }
            reading.join();
            vms.destroy("responder");
        }
    }

    @Test
    void aLinuxGuestWritingItsDiskMovesWhileItWritesOneProcessAtATimeHoldingTheDisk(@TempDir Path dir)
            throws Exception {
        Path disk = Files.copy(LinuxGuestTest.linux("disk.img"), dir.resolve("disk.img"));
        int migrationPort = freeTcpPort();
        vms.create(new VmConfig("scribe", 1, 256L << 20, new Firmware.Builtin(), LinuxGuestTest.linux("Image"),
                LinuxGuestTest.linux("initramfs.cpio"), "console=ttyS0 quiet pogo.quiet=1 pogo.run=\"" + WRITER
                + "\"", List.of(new DeviceRequest("virtio-blk", Map.of("file", disk.toString())))));
        vms.start("scribe");
        VmConsole source = vms.console("scribe");
        SnapshotTest.awaitTranscript(vms, "scribe", "wrote 2");
        assertOthersCannotWrite(disk, "while the source runs the VM");

        Process target = pogoProcess(dir, "run", "--receive", String.valueOf(migrationPort));
        StringBuffer targetOut = new StringBuffer();
        CompletableFuture<Void> reading = CompletableFuture.runAsync(() -> collect(target.getInputStream(), targetOut));
        try (OutputStream targetIn = target.getOutputStream()) {
            await(targetOut, "waiting for a VM on");
            vms.migrate("scribe", "127.0.0.1", migrationPort, line -> { });
            assertTrue(vms.info("scribe").isEmpty(), "the source forgets the VM once it runs there");
            assertOthersCannotWrite(disk, "while the target runs the VM");

            await(targetOut, "wrote ");
            targetIn.write("stop\n".getBytes(StandardCharsets.US_ASCII));
            targetIn.flush();
            assertTrue(target.waitFor(5, TimeUnit.MINUTES), "the guest never finished: " + targetOut);
        } finally {
            if (target.isAlive()) {
                target.destroyForcibly().waitFor();
            }
            reading.join();
        }
        String before = source.transcript();
        String after = targetOut.toString();
        assertEquals(0, target.exitValue(), after);
        assertTrue(after.contains("pogo.run: exit 0"), after);
        assertTrue(WROTE.matcher(before).find() && WROTE.matcher(after).find(),
                "the guest wrote before and after the migration: " + before + "\n---\n" + after);

        SnapshotTest.hostE2fsck(disk);
        Map<String, String> sums = new TreeMap<>();
        for (Matcher sum = SUM.matcher(after); sum.find(); ) {
            sums.put(sum.group(2), sum.group(1));
        }
        assertEquals(8, sums.size(), after);
        for (Map.Entry<String, String> file : sums.entrySet()) {
            assertEquals(file.getValue(), SnapshotTest.md5(SnapshotTest.readFromImage(disk, "/" + file.getKey())),
                    file.getKey() + " on the disk is not what the guest wrote");
        }
    }

    /**
     * A target that takes the VM's state and then cannot start it (as when its disk is taken in the moment between
     * the source's release and the target's acquire): the source takes the disk back and runs the VM on.
     */
    @Test
    void aTargetThatCannotStartTheVmAfterGoLeavesItRunningHereWithItsDisk(@TempDir Path dir) throws Exception {
        Path disk = Files.write(dir.resolve("data.img"), new byte[1 << 20]);
        SnapshotTest.startEcho(vms, "holder",
                List.of(new DeviceRequest("virtio-blk", Map.of("file", disk.toString()))));
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Void> target = CompletableFuture.runAsync(() -> refuseAfterGo(listener));
            IllegalStateException failure = assertThrows(IllegalStateException.class,
                    () -> vms.migrate("holder", "127.0.0.1", listener.getLocalPort(), line -> { }));
            assertEquals("migration of holder to 127.0.0.1:" + listener.getLocalPort() + " failed: the target"
                    + " refused: VM holder cannot start here: its disk is taken; it runs on here",
                    failure.getMessage());
            target.get(60, TimeUnit.SECONDS);
        }
        try {
            assertEquals(VmState.RUNNING, vms.info("holder").orElseThrow().state());
            vms.console("holder").type("back\n".getBytes(StandardCharsets.US_ASCII));
            SnapshotTest.awaitTranscript(vms, "holder", "BACK");
            assertOthersCannotWrite(disk, "once the source took it back");
        } finally {
            vms.destroy("holder");
        }
    }

    /**
     * Speaks the target's side of the migration protocol (version 2) without reading it: accepts the greeting and
     * the configuration, says the state is in place, and refuses the GO, while it drains what the source sends.
     */
    private static void refuseAfterGo(ServerSocket listener) {
        try (Socket socket = listener.accept()) {
            DataOutputStream answers = new DataOutputStream(socket.getOutputStream());
            answers.writeByte(0);
            answers.writeByte(0);
            answers.writeByte(4);
            answers.writeByte(1);
            answers.writeUTF("VM holder cannot start here: its disk is taken");
            answers.flush();
            socket.getInputStream().transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A third VM, in this process and in another, is refused the disk for writing. */
    private static void assertOthersCannotWrite(Path disk, String when) throws Exception {
        String inUse = "--drive file=" + disk + ": the image is in use by another VM or process";
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> vms.create(new VmConfig("intruder", 1, 64L << 20, new Firmware.None(), Guests.elf("hello.elf"),
                        null, "", List.of(new DeviceRequest("virtio-blk", Map.of("file", disk.toString()))))), when);
        assertEquals(inUse, refused.getMessage(), when);
        assertTrue(vms.info("intruder").isEmpty(), when);
        PogoCommandTest.assertUsageError(PogoCommandTest.pogo("", "run", "--bios", "none", "--kernel",
                Guests.elf("hello.elf").toString(), "--drive", "file=" + disk), inUse);
    }

    /** {@code ./pogo ARGS} in a process of its own, with its own configuration and state directories. */
    private static Process pogoProcess(Path dir, String... args) throws IOException {
        Path etc = Files.createDirectories(dir.resolve("etc"));
        Path state = Files.createDirectories(dir.resolve("state"));
        List<String> command = new ArrayList<>(List.of(Guests.root().resolve("pogo").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(Map.of("POGO_ETC", etc.toString(), "POGO_STATE", state.toString()));
        builder.redirectErrorStream(true);
        return builder.start();
    }

    @Test
    void aMigrationToAPortNobodyListensOnLeavesTheVmRunningHere() throws Exception {
        vms.create(bareMetal("stayer"));
        vms.start("stayer");
        try {
            int port = freeTcpPort();
            IllegalStateException failure = assertThrows(IllegalStateException.class,
                    () -> vms.migrate("stayer", "127.0.0.1", port, line -> { }));
            assertEquals("migration of stayer to 127.0.0.1:" + port + " failed: nothing listens there; it runs on"
                    + " here", failure.getMessage());
            assertEquals(VmState.RUNNING, vms.info("stayer").orElseThrow().state());
            vms.console("stayer").type("still here\n".getBytes(StandardCharsets.US_ASCII));
            SnapshotTest.awaitTranscript(vms, "stayer", "STILL HERE");
        } finally {
            vms.destroy("stayer");
        }
    }

    @Test
    void aTargetThatRefusesLeavesTheVmRunningHere() throws Exception {
        vms.create(bareMetal("twin"));
        vms.start("twin");
        try {
            int port = freeTcpPort();
            CompletableFuture<Throwable> receiving = CompletableFuture.supplyAsync(() -> {
                try {
                    vms.receive(null, port, line -> { });
                    return null;
                } catch (RuntimeException e) {
                    return e;
                }
            });
            IllegalStateException failure = null;
            for (int attempt = 0; failure == null || failure.getMessage().contains("nothing listens"); attempt++) {
                assertTrue(attempt < 200, "the receiving side never listened");
                Thread.sleep(50);
                failure = assertThrows(IllegalStateException.class,
                        () -> vms.migrate("twin", "127.0.0.1", port, line -> { }));
            }
            assertTrue(failure.getMessage().startsWith("migration of twin to 127.0.0.1:" + port + " failed: the target"
                    + " refused: ") && failure.getMessage().endsWith("; it runs on here"), failure.getMessage());
            assertTrue(failure.getMessage().contains("twin"), failure.getMessage());
            Throwable targetSide = receiving.get(60, TimeUnit.SECONDS);
            assertTrue(targetSide instanceof IllegalStateException, String.valueOf(targetSide));
            assertEquals(VmState.RUNNING, vms.info("twin").orElseThrow().state());
            vms.console("twin").type("alive\n".getBytes(StandardCharsets.US_ASCII));
            SnapshotTest.awaitTranscript(vms, "twin", "ALIVE");
        } finally {
            vms.destroy("twin");
        }
    }

    @Test
    void receiveTakesNoOtherRunOption() throws Exception {
        PogoCommandTest.assertUsageError(PogoCommandTest.pogo("", "run", "--receive", "4444", "--mem", "64M"),
                "--receive [HOST:]PORT runs the VM that migrates here: no other option goes with it");
        PogoCommandTest.assertUsageError(PogoCommandTest.pogo("", "run", "--receive", "70000"),
                "--receive 70000: port 70000 is out of range (1 to 65535)");
    }

    private static VmConfig linuxVm(String name, String append, Map<String, String> nic) {
        return new VmConfig(name, 1, 256L << 20, new Firmware.Builtin(), LinuxGuestTest.linux("Image"),
                LinuxGuestTest.linux("initramfs.cpio"), "console=ttyS0 quiet " + append,
                List.of(new DeviceRequest("virtio-net", nic)));
    }

    private static VmConfig bareMetal(String name) {
        return new VmConfig(name, 1, 64L << 20, new Firmware.None(), Guests.elf("echo.elf"), null, "", List.of());
    }

    private static List<Integer> replies(String transcript) {
        List<Integer> sequence = new ArrayList<>();
        Matcher reply = REPLY.matcher(transcript);
        while (reply.find()) {
            sequence.add(Integer.parseInt(reply.group(1)));
        }
        return sequence;
    }

    private static int freeTcpPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void collect(InputStream in, StringBuffer into) {
        byte[] buffer = new byte[4096];
        try {
            for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                into.append(new String(buffer, 0, read, StandardCharsets.UTF_8));
            }
        } catch (IOException closed) {
            // the process ended
        }
    }

    private static void await(StringBuffer output, String text) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (!output.toString().contains(text)) {
            assertTrue(System.nanoTime() < deadline, "never printed " + text + ": " + output);
            Thread.sleep(50);
        }
    }
}
