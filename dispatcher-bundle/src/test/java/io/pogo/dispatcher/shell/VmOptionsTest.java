package io.pogo.dispatcher.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pogo.api.allocator.LimitedResource;
import io.pogo.api.vm.DeviceRequest;
import io.pogo.api.vm.Firmware;
import io.pogo.api.vm.VmConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VmOptionsTest {

    private static final Path CWD = Path.of("/work/dir");

    @Test
    void defaultsFollowQemuVirt() {
        VmConfig config = VmOptions.parse(CWD, "vm1", "--kernel", "k.elf");
        assertEquals("vm1", config.name());
        assertEquals(1, config.harts());
        assertEquals(128L << 20, config.memoryBytes());
        assertInstanceOf(Firmware.Builtin.class, config.firmware());
        assertEquals(Path.of("/work/dir/k.elf"), config.kernel());
        assertEquals(List.of(), config.devices());
        assertEquals(false, config.virtioLegacy());
    }

    @Test
    void virtioLegacyIsAVmWideDefault() {
        VmConfig config = VmOptions.parse(CWD, "x", "--kernel", "k", "--drive", "file=d.img", "--virtio-legacy");
        assertTrue(config.virtioLegacy());
        assertEquals(List.of(new DeviceRequest("virtio-blk", Map.of("file", "d.img"))), config.devices());
    }

    @Test
    void everyOptionIsParsed() {
        VmConfig config = VmOptions.parse(CWD, "x", "--name", "n", "--smp", "2", "--mem", "1G", "--bios", "fw.bin",
                "--kernel", "/abs/Image", "--initrd", "rd", "--append", "console=ttyS0 quiet",
                "--drive", "file=disk.img,readonly=on", "--nic", "switch=lan0", "--device", "virtio-rng",
                "--device", "virtio-rng,seed=4");
        assertEquals("n", config.name());
        assertEquals(2, config.harts());
        assertEquals(1L << 30, config.memoryBytes());
        assertEquals(new Firmware.Image(Path.of("/work/dir/fw.bin")), config.firmware());
        assertEquals(Path.of("/abs/Image"), config.kernel());
        assertEquals(Path.of("/work/dir/rd"), config.initrd());
        assertEquals("console=ttyS0 quiet", config.append());
        assertEquals(List.of(
                new DeviceRequest("virtio-blk", Map.of("file", "disk.img", "readonly", "on")),
                new DeviceRequest("virtio-net", Map.of("switch", "lan0")),
                new DeviceRequest("virtio-rng", Map.of()),
                new DeviceRequest("virtio-rng", Map.of("seed", "4"))), config.devices());
    }

    @Test
    void limitsAreTakenPerKindOfIoAndTheirWordsLeftToTheAllocator() {
        VmConfig config = VmOptions.parse(CWD, "x", "--kernel", "k", "--limit", "disk:bytes=1M,ops=100",
                "--limit", "net:off");
        assertEquals(Map.of(LimitedResource.DISK, "bytes=1M,ops=100", LimitedResource.NET, "off"), config.limits());
        assertEquals(Map.of(), VmOptions.parse(CWD, "x", "--kernel", "k").limits());
        assertEquals("--limit cpu:bytes=1: say disk:bytes=RATE,... or net:bytes=RATE,...",
                assertThrows(IllegalArgumentException.class,
                        () -> VmOptions.parse(CWD, "x", "--kernel", "k", "--limit", "cpu:bytes=1")).getMessage());
        assertEquals("--limit disk:ops=2: give each of disk and net once, as disk:bytes=RATE,ops=RATE",
                assertThrows(IllegalArgumentException.class, () -> VmOptions.parse(CWD, "x", "--kernel", "k",
                        "--limit", "disk:ops=1", "--limit", "disk:ops=2")).getMessage());
    }

    @Test
    void aDeviceTreeFileIsResolvedLikeTheOtherFiles() {
        assertEquals(Path.of("/work/dir/board.dtb"), VmOptions.parse(CWD, "x", "--kernel", "k", "--dtb", "board.dtb")
                .deviceTree());
        assertEquals(null, VmOptions.parse(CWD, "x", "--kernel", "k").deviceTree(), "the board describes itself");
    }

    @Test
    void sizesUseQemuSuffixesAndBareNumbersAreMebibytes() {
        assertEquals(512L << 10, VmOptions.size("512K"));
        assertEquals(64L << 20, VmOptions.size("64"));
        assertEquals(64L << 20, VmOptions.size("64m"));
        assertEquals(2L << 30, VmOptions.size("2G"));
        for (String bad : new String[] {"", "G", "-1G", "0", "lots", "99999999999T"}) {
            assertThrows(IllegalArgumentException.class, () -> VmOptions.size(bad), bad);
        }
    }

    @Test
    void mistakesAreOneLineMessages() {
        assertMessage("Unknown option: '--frobnicate'", "--kernel", "k", "--frobnicate");
        assertMessage("--kernel FILE is required", "--smp", "2");
        assertMessage("--drive disk.img: expected key=value pairs separated by commas", "--kernel", "k",
                "--drive", "disk.img");
        assertTrue(message("--kernel", "k", "--smp", "two").startsWith("Invalid value for option '--smp'"));
    }

    private static void assertMessage(String expected, String... args) {
        assertEquals(expected, message(args));
    }

    private static String message(String... args) {
        String message = assertThrows(IllegalArgumentException.class, () -> VmOptions.parse(CWD, "x", args))
                .getMessage();
        assertEquals(1, message.lines().count(), message);
        return message;
    }

    @Test
    void gdbOptionsAreForARunOnly() {
        VmOptions.Run run = VmOptions.parseRun(CWD, "r", "--kernel", "k", "--gdb", "1234", "--wait-gdb");
        assertEquals("1234", run.gdb());
        assertTrue(run.waitForGdb());
        assertEquals("r", run.config().name());
        assertEquals(null, VmOptions.parseRun(CWD, "r", "--kernel", "k").gdb());
        IllegalArgumentException alone = assertThrows(IllegalArgumentException.class,
                () -> VmOptions.parseRun(CWD, "r", "--kernel", "k", "--wait-gdb"));
        assertTrue(alone.getMessage().startsWith("--wait-gdb"), alone.getMessage());
        IllegalArgumentException created = assertThrows(IllegalArgumentException.class,
                () -> VmOptions.parse(CWD, "c", "--kernel", "k", "--gdb", "1234"));
        assertTrue(created.getMessage().contains("vm:gdb NAME PORT"), created.getMessage());
    }
}
