package io.pogo.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pogo.api.vm.DeviceRequest;
import io.pogo.api.vm.Firmware;
import io.pogo.api.vm.VmConfig;
import io.pogo.api.vm.VmInfo;
import io.pogo.api.vm.VmManager;
import io.pogo.api.vm.VmState;
import io.pogo.launcher.PogoFramework;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Linux guest that guests/linux/build makes from Debian's sources: Linux 6.1, busybox, an ext2 data disk.
 * It boots to a shell on two harts under Pogo's SBI and under OpenSBI, shares a LAN, and keeps what it wrote.
 * Debian's U-Boot for QEMU's supervisor mode boots on the same board.
 */
@Timeout(600)
class LinuxGuestTest {

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

    private static final Path OPENSBI = Path.of("/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_jump.bin");

    static Path linux(String output) {
        Path file = Guests.root().resolve("guests/linux/out").resolve(output);
        assertTrue(Files.isRegularFile(file), file + " is missing: run guests/linux/build (scripts/test does)");
        return file;
    }

    private static Path copyOfDisk(Path dir) throws Exception {
        return Files.copy(linux("disk.img"), dir.resolve("disk.img"), StandardCopyOption.REPLACE_EXISTING);
    }

    /** {@code pogo run} as a user runs it, the guest scripted with pogo.run=... on the kernel command line. */
    private static PogoCommandTest.Result run(String append, Path disk) throws Exception {
        return run("builtin", append, disk);
    }

    private static PogoCommandTest.Result run(String bios, String append, Path disk) throws Exception {
        return PogoCommandTest.pogo(Duration.ofMinutes(4), "", "run", "--smp", "2", "--mem", "256M", "--bios", bios,
                "--kernel", linux("Image").toString(), "--initrd", linux("initramfs.cpio").toString(),
                "--append", "console=ttyS0 " + append, "--drive", "file=" + disk);
    }

    /**
     * Linux 6.1 takes Sstc from the device tree (it prints the extensions it knows of, which leaves out Zicntr and
     * Zb*) and then programs stimecmp itself for its timer, which must keep time: "sleep 1" ends. Under OpenSBI,
     * which finds Sstc by probing stimecmp and hands it to the kernel through menvcfg.STCE, as under Pogo's SBI.
     */
    private static String runsItsTimerOnSstc(String bios, Path dir) throws Exception {
        PogoCommandTest.Result result = run(bios, "pogo.quiet=1 pogo.run=\"grep isa /proc/cpuinfo; sleep 1; echo slept\"",
                copyOfDisk(dir));
        String out = result.out().replace("\r\n", "\n");
        assertEquals(2, out.split("isa\t\t: rv64imafdc_sstc_zihintpause\n", -1).length - 1, out);
        assertTrue(out.contains("\nslept\npogo.run: exit 0\n"), out);
        assertEquals(0, result.status(), out);
        return out;
    }

    @Test
    void runsItsTimerOnSstcUnderTheBuiltinSbi(@TempDir Path dir) throws Exception {
        runsItsTimerOnSstc("builtin", dir);
    }

    @Test
    void runsItsTimerOnSstcUnderOpenSbi(@TempDir Path dir) throws Exception {
        String out = runsItsTimerOnSstc(OPENSBI.toString(), dir);
        assertTrue(out.contains("Boot HART ISA Extensions  : time,sstc\n"), out);
    }

    /** Boots to the busybox prompt, types as a user would once it is there, and powers off from the shell. */
    private static void bootToPromptAndPowerOff(String name, Firmware firmware, Path dir) throws Exception {
        vms.create(new VmConfig(name, 2, 256L << 20, firmware, linux("Image"), linux("initramfs.cpio"),
                "console=ttyS0", List.of(new DeviceRequest("virtio-blk", Map.of("file", copyOfDisk(dir).toString())))));
        vms.start(name);
        awaitTranscript(name, "root@pogo:/# ");
        vms.console(name).type("cat /proc/cpuinfo\n".getBytes(StandardCharsets.US_ASCII));
        awaitTranscript(name, "hart\t\t: 1");
        vms.console(name).type("poweroff\n".getBytes(StandardCharsets.US_ASCII));
        VmInfo end = vms.awaitTermination(name, Duration.ofMinutes(3)).orElseThrow();
        String transcript = vms.console(name).transcript();
        assertEquals(VmState.STOPPED, end.state(), end.failure());
        assertEquals(0, end.exitStatus(), transcript);
        assertTrue(transcript.contains("hart\t\t: 0"), transcript);
        assertTrue(transcript.contains("=== data disk: /dev/vda on /mnt"), transcript);
        assertTrue(transcript.contains("reboot: Power down"), transcript);
        vms.destroy(name);
    }

    @Test
    void bootsToTheBusyboxShellOnTwoHartsUnderTheBuiltinSbiAndPowersOff(@TempDir Path dir) throws Exception {
        bootToPromptAndPowerOff("linux-builtin", new Firmware.Builtin(), dir);
    }

    @Test
    void bootsToTheBusyboxShellOnTwoHartsUnderOpenSbiAndPowersOff(@TempDir Path dir) throws Exception {
        bootToPromptAndPowerOff("linux-opensbi", new Firmware.Image(OPENSBI), dir);
    }

    @Test
    void debiansUBootForQemuSupervisorModeReachesItsPrompt() throws Exception {
        Path uboot = Path.of("/usr/lib/u-boot/qemu-riscv64_smode/u-boot.bin");
        assertTrue(Files.isRegularFile(uboot), uboot + " is missing: apt-get install u-boot-qemu (scripts/test does)");
        vms.create(new VmConfig("u-boot", 2, 256L << 20, new Firmware.Builtin(), uboot, null, "", List.of()));
        vms.start("u-boot");
        awaitTranscript("u-boot", "Hit any key to stop autoboot");
        vms.console("u-boot").type("\n".getBytes(StandardCharsets.US_ASCII));
        awaitTranscript("u-boot", "=> ");
        vms.console("u-boot").type("version\n".getBytes(StandardCharsets.US_ASCII));
        awaitTranscript("u-boot", "U-Boot 20");
        assertEquals(VmState.RUNNING, vms.info("u-boot").orElseThrow().state());
        vms.destroy("u-boot");
    }

    @Test
    void whatTheGuestWritesAndSyncsIsOnTheImageAndThereAtTheNextBoot(@TempDir Path dir) throws Exception {
        Path disk = copyOfDisk(dir);
        PogoCommandTest.Result write = run("pogo.quiet=1 pogo.run=\"echo kept-by-pogo > /mnt/note.txt\"", disk);
        assertEquals(0, write.status(), write.out());
        String image = new String(Files.readAllBytes(disk), StandardCharsets.ISO_8859_1);
        assertTrue(image.contains("kept-by-pogo\n"), "the file's bytes are in the image on the host");

        PogoCommandTest.Result read = run("pogo.quiet=1 pogo.run=\"cat /mnt/note.txt\"", disk);
        assertTrue(read.out().contains("pogo.run: cat /mnt/note.txt\r\nkept-by-pogo\r\n")
                || read.out().contains("pogo.run: cat /mnt/note.txt\nkept-by-pogo\n"), read.out());
        assertEquals(0, read.status(), read.out());
    }

    @Test
    void twoVmsOnOneSwitchPingEachOther(@TempDir Path dir) throws Exception {
        vms.create(linuxVm("responder", "pogo.ip=10.0.2.16/24", dir.resolve("b.img")));
        vms.start("responder");
        awaitTranscript("responder", "root@pogo:/# ");
        vms.create(linuxVm("pinger", "pogo.ip=10.0.2.15/24 pogo.run=\"ping -c 3 10.0.2.16\"", dir.resolve("a.img")));
        vms.start("pinger");
        VmInfo pinger = vms.awaitTermination("pinger", Duration.ofMinutes(5)).orElseThrow();
        String transcript = vms.console("pinger").transcript();
        assertTrue(transcript.contains("3 packets transmitted, 3 packets received"), transcript);
        assertEquals(VmState.STOPPED, pinger.state());
        assertEquals(0, pinger.exitStatus(), transcript);
        vms.destroy("pinger");
        vms.destroy("responder");
    }

    private static VmConfig linuxVm(String name, String append, Path disk) throws Exception {
        Files.copy(linux("disk.img"), disk, StandardCopyOption.REPLACE_EXISTING);
        return new VmConfig(name, 1, 128L << 20, new Firmware.Builtin(), linux("Image"),
                linux("initramfs.cpio"), "console=ttyS0 " + append, List.of(
                        new DeviceRequest("virtio-blk", Map.of("file", disk.toString())),
                        new DeviceRequest("virtio-net", Map.of("switch", "lan0"))));
    }

    private static void awaitTranscript(String vm, String text) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (!vms.console(vm).transcript().contains(text)) {
            assertTrue(System.nanoTime() < deadline, vm + " never printed " + text + ": " + vms.console(vm).transcript());
            Thread.sleep(50);
        }
    }
}
