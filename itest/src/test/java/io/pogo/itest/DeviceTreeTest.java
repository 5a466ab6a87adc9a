package io.pogo.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pogo.itest.PogoCommandTest.Result;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The DTB of a two-hart VM with every board device, a drive and a NIC: dtc accepts it, each device's node matches,
 * property for property, the node QEMU 7.2's virt machine writes for the same device, and both list the same eight
 * virtio-mmio transports in the same order.
 */
@Timeout(120)
class DeviceTreeTest {

    /** Properties whose cells are phandles, which differ between the two trees; compared as present only. */
    private static final Set<String> PHANDLES = Set.of("phandle", "interrupt-parent", "regmap");
    private static final Pattern NODE = Pattern.compile("^(\\S+) \\{$");
    private static final Pattern PROPERTY = Pattern.compile("^([^ =;]+)(?: = (.*))?;$");

    @TempDir
    Path dir;

    @Test
    void everyDeviceNodeMatchesQemuVirt() throws Exception {
        Path image = dir.resolve("disk.img");
        Files.write(image, new byte[1 << 20]);
        Path ours = dir.resolve("pogo.dtb");
        Result shell = PogoCommandTest.pogo("vm:create dt --smp 2 --bios none --kernel " + Guests.elf("hello.elf")
                + " --drive file=" + image + " --nic switch=dt0\nvm:dtb dt " + ours + "\n");
        assertEquals(0, shell.status(), shell.err());
        assertTrue(Files.exists(ours), shell.out());

        Path qemu = dir.resolve("qemu.dtb");
        run(List.of("qemu-system-riscv64", "-M", "virt,dumpdtb=" + qemu, "-nographic", "-smp", "2", "-m", "128M",
                "-drive", "file=" + image + ",format=raw,if=none,id=d0", "-device", "virtio-blk-device,drive=d0",
                "-netdev", "user,id=n0", "-device", "virtio-net-device,netdev=n0"));

        Map<String, Map<String, String>> pogo = nodes(decompile(ours));
        Map<String, Map<String, String>> reference = nodes(decompile(qemu));
        List<String> devices = pogo.keySet().stream()
                .filter(path -> path.startsWith("/soc/") || path.equals("/poweroff") || path.equals("/reboot"))
                .toList();
        for (String device : List.of("/soc/plic@c000000", "/soc/clint@2000000", "/soc/test@100000",
                "/soc/rtc@101000", "/soc/serial@10000000", "/poweroff", "/reboot")) {
            assertTrue(devices.contains(device), device + " missing from " + pogo.keySet());
        }
        assertEquals(virtioSlots(reference), virtioSlots(pogo), "every virtio-mmio transport, in QEMU's order");
        assertEquals(8, virtioSlots(pogo).size());
        for (String device : devices) {
            Map<String, String> expected = reference.get(device);
            assertNotNull(expected, device + " is not on QEMU's board");
            Map<String, String> actual = pogo.get(device);
            assertEquals(expected.keySet(), actual.keySet(), device);
            for (String property : actual.keySet()) {
                if (!PHANDLES.contains(property)) {
                    assertEquals(comparable(property, expected.get(property)), comparable(property, actual.get(property)),
                            device + " " + property);
                }
            }
        }
        assertEquals(reference.get("/chosen").get("stdout-path"), pogo.get("/chosen").get("stdout-path"));
    }

    /** The virtio-mmio nodes in the order the tree lists them, which is the order Linux probes them in. */
    private static List<String> virtioSlots(Map<String, Map<String, String>> nodes) {
        return nodes.keySet().stream().filter(path -> path.startsWith("/soc/virtio_mmio@")).toList();
    }

    /** interrupts-extended pairs a controller's phandle with an interrupt number: only the numbers compare. */
    private static String comparable(String property, String value) {
        if (!property.equals("interrupts-extended")) {
            return value;
        }
        String[] cells = value.replaceAll("[<>]", "").trim().split("\\s+");
        List<String> numbers = new ArrayList<>();
        for (int i = 1; i < cells.length; i += 2) {
            numbers.add(cells[i]);
        }
        return numbers.toString();
    }

    private static String decompile(Path dtb) throws IOException, InterruptedException {
        Process dtc = new ProcessBuilder("dtc", "-I", "dtb", "-O", "dts", dtb.toString()).start();
        String dts = new String(dtc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String errors = new String(dtc.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(dtc.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, dtc.exitValue(), errors);
        assertFalse(errors.contains("ERROR"), errors);
        return dts;
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), out);
    }

    /** Every node of a dts by path, with its properties as dtc prints them. */
    private static Map<String, Map<String, String>> nodes(String dts) {
        Map<String, Map<String, String>> nodes = new LinkedHashMap<>();
        Deque<String> path = new ArrayDeque<>();
        for (String raw : dts.lines().toList()) {
            String line = raw.trim();
            Matcher node = NODE.matcher(line);
            Matcher property = PROPERTY.matcher(line);
            if (line.equals("/ {")) {
                path.push("");
                nodes.put("/", new LinkedHashMap<>());
            } else if (node.matches()) {
                path.push(path.peek() + "/" + node.group(1));
                nodes.put(path.peek(), new LinkedHashMap<>());
            } else if (line.equals("};")) {
                path.pop();
            } else if (property.matches() && !path.isEmpty()) {
                String at = path.peek().isEmpty() ? "/" : path.peek();
                nodes.get(at).put(property.group(1), property.group(2) == null ? "" : property.group(2));
            }
        }
        return nodes;
    }
}
