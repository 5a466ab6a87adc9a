package io.pogo.dispatcher.boot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pogo.api.device.DtNode;
import io.pogo.api.device.DtProperty;
import io.pogo.api.device.DtValue;
import io.pogo.api.device.MmioWindow;
import io.pogo.api.memory.GuestMemory;
import io.pogo.api.vm.Firmware;
import io.pogo.api.vm.VmConfig;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading as QEMU's virt machine loads: ELF parts outside RAM, raw images, the HTIF words, a given device tree. */
class BootPlanTest {

    private static final long RAM = 0x8000_0000L;
    private static final long MEMORY = 64L << 20;

    @TempDir
    Path dir;

    @Test
    void theElfHeaderPageBelowRamIsDroppedAndTheRestLoadedAsQemuDoes() {
        byte[] segment = pattern(0x1800);
        BootPlan plan = plan(new TestElf().load(RAM - 0x1000, segment, 0x2000));
        assertEquals(1, plan.images().size());
        BootPlan.Image image = plan.images().getFirst();
        assertEquals(RAM, image.address());
        assertEquals(0x1000, image.size());
        assertArrayEquals(Arrays.copyOfRange(segment, 0x1000, 0x1800), ((BootPlan.Bytes) image.contents()).data());
    }

    @Test
    void segmentsWhollyBelowRamAreSkipped() {
        BootPlan plan = plan(new TestElf().load(0x1_0000, pattern(64), 64).load(RAM, pattern(32), 32));
        assertEquals(List.of(RAM), plan.images().stream().map(BootPlan.Image::address).toList());
    }

    @Test
    void anElfWithNothingInRamIsOneClearError() {
        String message = reject(new TestElf().entry(0x1_0000).load(0x1_0000, pattern(64), 0x100));
        assertTrue(message.contains("nothing to load in guest RAM") && message.contains("below 0x80000000"), message);
        assertEquals(1, message.lines().count());
    }

    @Test
    void aSegmentRunningPastTheAddressSpaceIsOneLine() {
        String message = reject(new TestElf().load(RAM, pattern(16), 16).load(-0x1000L, pattern(16), 0x2000));
        assertTrue(message.endsWith("ELF program header 1 places 0x2000 bytes at 0xfffffffffffff000, past the end of"
                + " the 64-bit address space"), message);
        assertTrue(reject(new TestElf().load(-0x1000L, new byte[0], 0x1000)).contains("past the end"),
                "ending exactly at 2^64 is refused too");
    }

    @Test
    void hugeAndHighSegmentsDoNotFitInRam() {
        assertTrue(reject(new TestElf().load(RAM, pattern(16), Long.MAX_VALUE)).contains("does not fit in guest RAM"));
        assertTrue(reject(new TestElf().load(RAM, pattern(16), 16).load(0x1_0000_0000L, pattern(16), 16))
                .contains("does not fit in guest RAM"));
    }

    @Test
    void biosNoneStartsAtTheStartOfRamWhateverTheEntryPointSays() {
        assertEquals(RAM, plan(new TestElf().entry(RAM + 0x100).load(RAM, pattern(0x200), 0x200)).entry());
    }

    @Test
    void aRawImageWithBiosNoneIsLoadedAndEnteredAtTheStartOfRam() throws Exception {
        Path raw = Files.write(dir.resolve("guest.bin"), pattern(100));
        BootPlan plan = BootPlan.prepare(config(raw, null), RAM);
        assertEquals(RAM, plan.entry());
        assertEquals(RAM, plan.images().getFirst().address());
        assertEquals(100, plan.images().getFirst().size());
        assertTrue(plan.hostInterface().isEmpty());
    }

    @Test
    void aRawImageIsCopiedFromItsFileWhenLoadedAndAFileChangedSinceIsRefused() throws Exception {
        byte[] content = pattern(200_000);
        Path raw = Files.write(dir.resolve("guest.bin"), content);
        BootPlan plan = BootPlan.prepare(config(raw, null), RAM);
        byte[] ram = new byte[content.length];
        GuestMemory memory = (GuestMemory) Proxy.newProxyInstance(GuestMemory.class.getClassLoader(),
                new Class<?>[] {GuestMemory.class}, (proxy, method, args) -> {
                    if (!method.getName().equals("write")) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    System.arraycopy((byte[]) args[1], (int) args[2], ram, (int) ((long) args[0] - RAM), (int) args[3]);
                    return null;
                });
        plan.loadInto(memory);
        assertArrayEquals(content, ram);
        Files.write(raw, pattern(100));
        IllegalArgumentException changed = assertThrows(IllegalArgumentException.class, () -> plan.loadInto(memory));
        assertEquals(raw + ": changed while it was being loaded", changed.getMessage());
    }

    @Test
    void tohostAndFromhostBecomeTheHtifWindow() {
        BootPlan plan = plan(new TestElf().load(RAM, pattern(0x2000), 0x2000)
                .symbol("tohost", RAM + 0x1000).symbol("fromhost", RAM + 0x1040));
        BootPlan.HostInterface htif = plan.hostInterface().orElseThrow();
        assertEquals(new MmioWindow(RAM + 0x1000, 0x48), htif.window());
        assertEquals(Map.of("tohost", "0x80001000", "fromhost", "0x80001040"), htif.options());
        BootPlan alone = plan(new TestElf().load(RAM, pattern(0x2000), 0x2000).symbol("tohost", RAM + 0x1000));
        assertEquals(new MmioWindow(RAM + 0x1000, 8), alone.hostInterface().orElseThrow().window());
        assertTrue(plan(new TestElf().load(RAM, pattern(16), 16).symbol("fromhost", RAM)).hostInterface().isEmpty());
    }

    @Test
    void aGivenDeviceTreeIsPassedOnAsItIs() throws Exception {
        byte[] blob = FdtWriter.encode(tree("my board", List.of()));
        Path dtb = Files.write(dir.resolve("board.dtb"), Arrays.copyOf(blob, blob.length + 100));
        BootPlan plan = BootPlan.prepare(config(kernel(), dtb), RAM);
        assertArrayEquals(blob, plan.deviceTree(), "the bytes its header counts, unchanged");
    }

    @Test
    void aCommandLineIsWrittenIntoTheGivenTreesChosenNodeAsQemuDoes() throws Exception {
        DtProperty stdout = new DtProperty("stdout-path", new DtValue.Strings("/soc/serial@10000000"));
        DtProperty oldArgs = new DtProperty("bootargs", new DtValue.Strings("old"));
        Path dtb = Files.write(dir.resolve("board.dtb"), FdtWriter.encode(tree("my board", List.of(stdout, oldArgs))));
        VmConfig config = new VmConfig("t", 1, MEMORY, new Firmware.None(), kernel(), null, "console=hvc0",
                List.of(), dtb);
        DtNode root = FdtReader.decode(BootPlan.prepare(config, RAM).deviceTree());
        assertEquals("my board", string(root.properties(), "model"));
        DtNode chosen = root.children().stream().filter(node -> node.name().equals("chosen")).findFirst().orElseThrow();
        assertEquals("/soc/serial@10000000", string(chosen.properties(), "stdout-path"));
        assertEquals("console=hvc0", string(chosen.properties(), "bootargs"));
        assertEquals(1, chosen.properties().stream().filter(p -> p.name().equals("bootargs")).count());
    }

    @Test
    void badDeviceTreesAreOneLine() throws Exception {
        byte[] good = FdtWriter.encode(tree("my board", List.of()));
        assertTrue(rejectTree("text.dtb", "/dts-v1/; / { };".getBytes(StandardCharsets.US_ASCII))
                .endsWith("text.dtb: not a flattened device tree (no FDT magic number)"));
        assertTrue(rejectTree("short.dtb", Arrays.copyOf(good, good.length - 8))
                .contains("short.dtb: truncated device tree: its header says " + good.length + " bytes"));
        byte[] corrupt = good.clone();
        corrupt[8] = 0x7f;
        assertTrue(rejectTree("corrupt.dtb", corrupt).contains("a block lies outside the tree"));
        assertTrue(rejectTree("missing.dtb", null).endsWith("missing.dtb: no such file"));
    }

    private String rejectTree(String name, byte[] bytes) throws Exception {
        Path dtb = dir.resolve(name);
        if (bytes != null) {
            Files.write(dtb, bytes);
        }
        String message = assertThrows(IllegalArgumentException.class,
                () -> BootPlan.prepare(config(kernel(), dtb), RAM)).getMessage();
        assertEquals(1, message.lines().count(), message);
        return message;
    }

    private static DtNode tree(String model, List<DtProperty> chosen) {
        return new DtNode("", List.of(new DtProperty("model", new DtValue.Strings(model))),
                List.of(new DtNode("chosen", chosen, List.of())));
    }

    private static String string(List<DtProperty> properties, String name) {
        byte[] value = properties.stream().filter(p -> p.name().equals(name)).findFirst()
                .map(p -> ((DtValue.Bytes) p.value()).bytes()).orElseThrow();
        return new String(value, 0, value.length - 1, StandardCharsets.US_ASCII);
    }

    private Path kernel() {
        return new TestElf().load(RAM, pattern(64), 64).writeTo(dir.resolve("kernel.elf"));
    }

    private BootPlan plan(TestElf elf) {
        return BootPlan.prepare(config(elf.writeTo(dir.resolve("guest.elf")), null), RAM);
    }

    private String reject(TestElf elf) {
        Path file = elf.writeTo(dir.resolve("guest.elf"));
        String message = assertThrows(IllegalArgumentException.class, () -> BootPlan.prepare(config(file, null), RAM))
                .getMessage();
        assertEquals(1, message.lines().count(), message);
        return message;
    }

    private static VmConfig config(Path kernel, Path deviceTree) {
        return new VmConfig("t", 1, MEMORY, new Firmware.None(), kernel, null, "", List.of(), deviceTree);
    }

    private static byte[] pattern(int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (i * 7 + i / 256);
        }
        return bytes;
    }
}
