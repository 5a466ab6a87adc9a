package io.pogo.itest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.pogo.itest.PogoCommandTest.Result;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The board's devices driven by bare-metal guest drivers (guests/devices) through {@code pogo run}, asserting on
 * what the guests print, their exit status and the bytes of the disk images.
 */
@Timeout(120)
class DeviceGuestTest {

    private static final int SECTOR = 512;
    private static final byte[] SECTOR_ZERO = "POGO sector zero: hello, disk!!!".getBytes(StandardCharsets.US_ASCII);
    private static final String GUEST_PATTERN = "written by the guest; ";
    private static final String LEGACY_GUEST_PATTERN = "written by the legacy guest; ";
    private static final String LEGACY_GUEST_OUTPUT = "legacy virtio-blk: capacity 64 sectors\r\n"
            + "sector 0: " + new String(SECTOR_ZERO, StandardCharsets.US_ASCII) + "\r\n"
            + "sector 1 written and read back\r\n";

    @TempDir
    Path dir;

    private static String kernel(String guest) {
        return Guests.elf("dev-" + guest + ".elf").toString();
    }

    private Path image() throws IOException {
        byte[] bytes = new byte[64 * SECTOR];
        System.arraycopy(SECTOR_ZERO, 0, bytes, 0, SECTOR_ZERO.length);
        Arrays.fill(bytes, SECTOR, 2 * SECTOR, (byte) 0xee);
        Path image = dir.resolve("disk.img");
        Files.write(image, bytes);
        return image;
    }

    private static byte[] guestSector() {
        return patternSector(GUEST_PATTERN);
    }

    private static byte[] patternSector(String pattern) {
        byte[] sector = new byte[SECTOR];
        for (int i = 0; i < SECTOR; i++) {
            sector[i] = (byte) pattern.charAt(i % pattern.length());
        }
        return sector;
    }

    private static byte[] sector(Path image, int index) throws IOException {
        return Arrays.copyOfRange(Files.readAllBytes(image), index * SECTOR, (index + 1) * SECTOR);
    }

    @Test
    void uartEchoIsDrivenByTheReceiveInterruptThroughThePlic() throws Exception {
        Result run = PogoCommandTest.pogo("hello, plic q", "run", "--bios", "none", "--kernel", kernel("uart-irq"));
        assertEquals(0, run.status(), run.out() + run.err());
        assertTrue(run.out().contains("uart-irq ready\r\nHELLO, PLIC \r\ninterrupts: "), run.out());
        Matcher interrupts = Pattern.compile("interrupts: (\\d+)").matcher(run.out());
        assertTrue(interrupts.find(), run.out());
        assertTrue(Integer.parseInt(interrupts.group(1)) >= 1, run.out());
    }

    @Test
    void clintTimerAndSoftwareInterruptsAndTheRtcAlarm() throws Exception {
        Result run = PogoCommandTest.pogo("", "run", "--bios", "none", "--kernel", kernel("platform"));
        assertEquals(0, run.status(), run.out() + run.err());
        assertTrue(run.out().contains("timer interrupt ok\r\nsoftware interrupt ok\r\nrtc alarm interrupt ok"),
                run.out());
        Matcher seconds = Pattern.compile("rtc seconds since the epoch: (\\d+)").matcher(run.out());
        assertTrue(seconds.find(), run.out());
        long hostSeconds = System.currentTimeMillis() / 1000;
        assertTrue(Math.abs(Long.parseLong(seconds.group(1)) - hostSeconds) < 3600, run.out());
    }

    @Test
    void blkReadsWritesFlushesAndReadsBack() throws Exception {
        Path image = image();
        Result run = PogoCommandTest.pogo("", "run", "--bios", "none", "--kernel", kernel("blk"),
                "--drive", "file=" + image);
        assertEquals(0, run.status(), run.out() + run.err());
        assertTrue(run.out().contains("capacity: 64 sectors"), run.out());
        assertTrue(run.out().contains("sector 0: " + new String(SECTOR_ZERO, StandardCharsets.US_ASCII)), run.out());
        assertTrue(run.out().contains("flushed\r\nread back ok\r\nid: disk.img"), run.out());
        assertArrayEquals(guestSector(), sector(image, 1));
        assertArrayEquals(new byte[SECTOR], sector(image, 2), "nothing else written");
    }

    /** The legacy guest wrote sector 1 through the device and nothing else. */
    private void assertLegacyGuestWroteSectorOne(Path image) throws IOException {
        assertArrayEquals(patternSector(LEGACY_GUEST_PATTERN), sector(image, 1));
        assertArrayEquals(SECTOR_ZERO, Arrays.copyOf(sector(image, 0), SECTOR_ZERO.length));
        assertArrayEquals(new byte[SECTOR], sector(image, 2), "nothing else written");
    }

    @Test
    void legacyBlkDriverOnALegacyDrive() throws Exception {
        Path image = image();
        Result run = PogoCommandTest.pogo("", "run", "--bios", "none", "--kernel", kernel("blk-legacy"),
                "--drive", "file=" + image + ",legacy=on");
        assertEquals(0, run.status(), run.out() + run.err());
        assertTrue(run.out().contains(LEGACY_GUEST_OUTPUT), run.out());
        assertLegacyGuestWroteSectorOne(image);
    }

    @Test
    void virtioLegacyMakesTheDriveLegacy() throws Exception {
        Path image = image();
        Result run = PogoCommandTest.pogo("", "run", "--bios", "none", "--kernel", kernel("blk-legacy"),
                "--drive", "file=" + image, "--virtio-legacy");
        assertEquals(0, run.status(), run.out() + run.err());
        assertTrue(run.out().contains(LEGACY_GUEST_OUTPUT), run.out());
        assertLegacyGuestWroteSectorOne(image);
    }

    /** The oracle: QEMU's virt board presents a legacy transport by default (force-legacy=true), in slot 7. */
    @Test
    void legacyBlkDriverOnQemusDefaultTransport() throws Exception {
        Path image = image();
        Result run = qemu("-kernel", kernel("blk-legacy"), "-drive", "file=" + image + ",if=none,format=raw,id=d",
                "-device", "virtio-blk-device,drive=d");
        assertEquals(0, run.status(), run.out());
        assertTrue(run.out().contains(LEGACY_GUEST_OUTPUT), run.out());
        assertLegacyGuestWroteSectorOne(image);
    }

    private static final String HOSTILE_BALLOON_OUTPUT = "inflated outside RAM: ignored; inflated page reads 0\r\n"
            + "torn inflate and wild deflate: completed\r\n"
            + "actual reads 4294967295, num_pages reads 0\r\n"
            + "second stats buffer returned the first: 0\r\n"
            + "balloon: still running\r\n";

    /**
     * A hostile balloon driver: page numbers outside RAM are ignored, the one page of RAM it names is given back
     * (it reads as zero), every chain is completed, and the guest runs to its end, as under QEMU.
     */
    @Test
    void hostileBalloonDriverHarmsNothingButTheGuestsOwnPage() throws Exception {
        Result run = PogoCommandTest.pogo("", "run", "--bios", "none", "--mem", "64M", "--kernel",
                kernel("balloon-bad"), "--device", "virtio-balloon");
        assertEquals(0, run.status(), run.out() + run.err());
        assertTrue(run.out().contains(HOSTILE_BALLOON_OUTPUT), run.out());
    }

    @Test
    void hostileBalloonDriverOnQemu() throws Exception {
        Result run = qemu("-global", "virtio-mmio.force-legacy=false", "-m", "64M", "-kernel", kernel("balloon-bad"),
                "-device", "virtio-balloon-device");
        assertEquals(0, run.status(), run.out());
        assertTrue(run.out().contains(HOSTILE_BALLOON_OUTPUT), run.out());
    }

    /** xv6-riscv's negotiation: feature word 0 only, no VERSION_1, yet FEATURES_OK is kept and the disk works. */
    @Test
    void modernDriverThatWritesOnlyFeatureWordZero() throws Exception {
        Path image = image();
        Result run = PogoCommandTest.pogo("", "run", "--bios", "none", "--kernel", kernel("blk-word0"),
                "--drive", "file=" + image);
        assertEquals(0, run.status(), run.out() + run.err());
        assertTrue(run.out().contains("features: word 0 only\r\ncapacity: 64 sectors\r\nsector 0: "
                + new String(SECTOR_ZERO, StandardCharsets.US_ASCII)), run.out());
        assertTrue(run.out().contains("flushed\r\nread back ok"), run.out());
        assertArrayEquals(guestSector(), sector(image, 1));
    }

    @Test
    void modernDriverThatWritesOnlyFeatureWordZeroOnQemu() throws Exception {
        Path image = image();
        Result run = qemu("-global", "virtio-mmio.force-legacy=false", "-kernel", kernel("blk-word0"),
                "-drive", "file=" + image + ",if=none,format=raw,id=d", "-device", "virtio-blk-device,drive=d");
        assertEquals(0, run.status(), run.out());
        assertTrue(run.out().contains("features: word 0 only\r\ncapacity: 64 sectors\r\nsector 0: "
                + new String(SECTOR_ZERO, StandardCharsets.US_ASCII)), run.out());
        assertTrue(run.out().contains("flushed\r\nread back ok"), run.out());
        assertArrayEquals(guestSector(), sector(image, 1));
    }

    /**
     * guests/probe reads the eight virtio-mmio slots from the top, as drivers written against QEMU do: a drive and a
     * NIC sit in slots 7 and 6 and every other slot is a transport without a device, on Pogo as on QEMU.
     */
    @Test
    void virtioSlotsReadAsOnQemu() throws Exception {
        assertSlotsAsOnQemu(List.of(), List.of("-global", "virtio-mmio.force-legacy=false"), 2);
    }

    /** With --virtio-legacy the empty transports turn legacy too, as all of QEMU's do by default. */
    @Test
    void legacyVirtioSlotsReadAsOnQemu() throws Exception {
        assertSlotsAsOnQemu(List.of("--virtio-legacy"), List.of(), 1);
    }

    private void assertSlotsAsOnQemu(List<String> pogoOptions, List<String> qemuOptions, int version)
            throws Exception {
        Path image = image();
        String probe = Guests.elf("probe.elf").toString();
        List<String> pogoArgs = new ArrayList<>(List.of("run", "--bios", "none", "--kernel", probe,
                "--drive", "file=" + image, "--nic", "switch=probe0"));
        pogoArgs.addAll(pogoOptions);
        Result pogo = PogoCommandTest.pogo("", pogoArgs.toArray(String[]::new));
        assertEquals(0, pogo.status(), pogo.out() + pogo.err());
        String identity = " magic=0x74726976 version=0x0000000" + version + " device=0x0000000%d vendor=0x554d4551";
        List<String> expected = new ArrayList<>(List.of("slot 7" + identity.formatted(2), "slot 6" + identity.formatted(1)));
        for (int slot = 5; slot >= 0; slot--) {
            expected.add("slot " + slot + identity.formatted(0) + " status=0x00000000 features=0x00000000"
                    + " queue-max=0x00000000 isr=0x00000000 config=0x00000000 magic-byte=0x00000076");
        }
        assertEquals(expected, slotLines(pogo.out()));

        List<String> qemuArgs = new ArrayList<>(qemuOptions);
        qemuArgs.addAll(List.of("-kernel", probe, "-drive", "file=" + image + ",if=none,format=raw,id=d",
                "-device", "virtio-blk-device,drive=d", "-netdev", "user,id=n", "-device", "virtio-net-device,netdev=n"));
        Result qemu = qemu(qemuArgs.toArray(String[]::new));
        assertEquals(0, qemu.status(), qemu.out());
        assertEquals(slotLines(qemu.out()), slotLines(pogo.out()));
    }

    private static List<String> slotLines(String out) {
        return out.lines().filter(line -> line.startsWith("slot ")).toList();
    }

    /** {@code qemu-system-riscv64 -M virt -bios none -nographic ARGS}; the test is skipped where QEMU is missing. */
    private Result qemu(String... args) throws IOException, InterruptedException {
        assumeTrue(onPath("qemu-system-riscv64"), "qemu-system-riscv64 is not installed");
        List<String> command = new ArrayList<>(List.of("qemu-system-riscv64", "-M", "virt", "-m", "128M", "-bios",
                "none", "-nographic"));
        command.addAll(List.of(args));
        Path output = dir.resolve("qemu.out");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile())
                .start();
        process.getOutputStream().close();
        Duration limit = Duration.ofSeconds(60);
        if (!process.waitFor(limit.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("QEMU did not finish within " + limit + ": " + Files.readString(output));
        }
        return new Result(process.exitValue(), Files.readString(output), "", process.pid());
    }

    private static boolean onPath(String program) {
        return Arrays.stream(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .anyMatch(directory -> Files.isExecutable(Path.of(directory, program)));
    }

    @Test
    void relativeDrivePathAndReadOnlyDriveRefusesWrites() throws Exception {
        Path image = image();
        byte[] before = Files.readAllBytes(image);
        Path relative = Path.of("").toAbsolutePath().relativize(image);
        Result run = PogoCommandTest.pogo("", "run", "--bios", "none", "--kernel", kernel("blk"),
                "--drive", "file=" + relative + ",readonly=on");
        assertEquals(0, run.status(), run.out() + run.err());
        assertTrue(run.out().contains("write refused: read-only"), run.out());
        assertArrayEquals(before, Files.readAllBytes(image));
    }

    @Test
    void flushedDataIsInTheImageAfterSigkill() throws Exception {
        Path image = image();
        Process holder = holding(image);
        holder.destroyForcibly();
        assertTrue(holder.waitFor(30, TimeUnit.SECONDS));
        assertEquals(137, holder.exitValue(), "killed by SIGKILL");
        assertArrayEquals(guestSector(), sector(image, 1));
        assertArrayEquals(SECTOR_ZERO, Arrays.copyOf(sector(image, 0), SECTOR_ZERO.length));
    }

    @Test
    void diskLockedByAnotherProcessIsOneLineAndStatusTwo() throws Exception {
        Path image = image();
        Process holder = holding(image);
        try {
            byte[] held = Files.readAllBytes(image);
            Result second = PogoCommandTest.pogo("", "run", "--bios", "none", "--kernel", kernel("blk"),
                    "--drive", "file=" + image);
            assertUsageError(second, "--drive file=" + image + ": the image is in use by another VM or process");
            assertArrayEquals(held, Files.readAllBytes(image), "the second VM never touched the image");
        } finally {
            holder.destroyForcibly();
            holder.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void missingDiskIsOneLineAndStatusTwo() throws Exception {
        Path missing = dir.resolve("missing.img");
        assertUsageError(PogoCommandTest.pogo("", "run", "--bios", "none", "--kernel", kernel("blk"),
                "--drive", "file=" + missing), "--drive file=" + missing + ": no such file");
        assertFalse(Files.exists(missing), "nothing created");
    }

    @Test
    void badDriveOptionIsOneLineAndStatusTwoAndLeavesTheImageAlone() throws Exception {
        Path image = image();
        byte[] before = Files.readAllBytes(image);
        assertUsageError(PogoCommandTest.pogo("", "run", "--bios", "none", "--kernel", kernel("blk"),
                "--drive", "file=" + image + ",cache=none"), "--drive: unknown option 'cache'");
        assertUsageError(PogoCommandTest.pogo("", "run", "--bios", "none", "--kernel", kernel("blk"),
                "--drive", "file=" + image + ",readonly=perhaps"), "--drive readonly=perhaps: expected on or off");
        assertArrayEquals(before, Files.readAllBytes(image));
    }

    @Test
    void twoProcessesShareALanOverAUdpLink() throws Exception {
        int pongPort = PortFinder.freeUdpPort();
        int pingPort = PortFinder.freeUdpPort();
        Path pongOut = dir.resolve("pong.out");
        Process pong = start(pongOut, "run", "--bios", "none", "--kernel", kernel("net-pong"),
                "--nic", "switch=lan0,udp=127.0.0.1:" + pongPort + ",peer=127.0.0.1:" + pingPort);
        try {
            Result ping = PogoCommandTest.pogo("", "run", "--bios", "none", "--kernel", kernel("net-ping"),
                    "--nic", "switch=lan0,udp=127.0.0.1:" + pingPort + ",peer=127.0.0.1:" + pongPort);
            assertEquals(0, ping.status(), ping.out() + ping.err());
            String pingMac = mac(ping.out());
            String answered = "got: ping from " + pingMac;
            while (pong.isAlive() && !Files.readString(pongOut).contains(answered)) {
                Thread.sleep(20);
            }
            String pongText = Files.readString(pongOut);
            assertTrue(pongText.contains(answered), pongText);
            assertTrue(ping.out().contains("got: pong from " + mac(pongText)), ping.out());
        } finally {
            pong.destroyForcibly();
        }
    }

    @Test
    void udpLinkSpeaksQemusDatagramNetdev() throws Exception {
        int qemuPort = PortFinder.freeUdpPort();
        int pogoPort = PortFinder.freeUdpPort();
        Path qemuOut = dir.resolve("qemu.out");
        Process qemu = new ProcessBuilder("qemu-system-riscv64", "-M", "virt", "-m", "128M", "-bios", "none",
                "-nographic", "-kernel", kernel("net-pong"), "-global", "virtio-mmio.force-legacy=false",
                "-netdev", "dgram,id=n0,local.type=inet,local.host=127.0.0.1,local.port=" + qemuPort
                        + ",remote.type=inet,remote.host=127.0.0.1,remote.port=" + pogoPort,
                "-device", "virtio-net-device,netdev=n0")
                .redirectErrorStream(true).redirectOutput(qemuOut.toFile()).start();
        try {
            qemu.getOutputStream().close();
            Result ping = PogoCommandTest.pogo("", "run", "--bios", "none", "--kernel", kernel("net-ping"),
                    "--nic", "switch=lan0,udp=127.0.0.1:" + pogoPort + ",peer=127.0.0.1:" + qemuPort);
            assertEquals(0, ping.status(), ping.out() + ping.err());
            String answered = "got: ping from " + mac(ping.out());
            while (qemu.isAlive() && !Files.readString(qemuOut).contains(answered)) {
                Thread.sleep(20);
            }
            String qemuText = Files.readString(qemuOut);
            assertTrue(qemuText.contains(answered), qemuText);
            assertTrue(ping.out().contains("got: pong from " + mac(qemuText)), ping.out());
        } finally {
            qemu.destroyForcibly();
        }
    }

    static String mac(String transcript) {
        Matcher mac = Pattern.compile("mac (52:54:00:[0-9a-f:]{8})").matcher(transcript);
        assertTrue(mac.find(), transcript);
        return mac.group(1);
    }

    /** A Pogo process running the blk guest that holds the image after writing and flushing sector 1. */
    private Process holding(Path image) throws IOException {
        Process process = new ProcessBuilder(Guests.root().resolve("pogo").toString(), "run", "--bios", "none",
                "--kernel", kernel("blk-hold"), "--drive", "file=" + image)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        process.getOutputStream().close();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            seen.append(line).append('\n');
            if (line.startsWith("holding")) {
                assertTrue(seen.toString().contains("flushed"), seen.toString());
                return process;
            }
        }
        throw new AssertionError("the holding guest ended early: " + seen);
    }

    private static Process start(Path output, String... args) throws IOException {
        List<String> command = new java.util.ArrayList<>(List.of(Guests.root().resolve("pogo").toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(output.toFile()).start();
        process.getOutputStream().close();
        return process;
    }

    static void assertUsageError(Result run, String expected) {
        assertEquals(2, run.status(), run.out() + run.err());
        List<String> lines = run.err().lines().toList();
        assertEquals(1, lines.size(), "exactly one line on stderr: " + run.err());
        assertTrue(lines.getFirst().startsWith("pogo: ") && lines.getFirst().contains(expected), run.err());
        assertFalse(run.out().contains("Exception"), run.out());
    }
}
