package io.pogo.virtio.empty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.pogo.api.device.Device;
import io.pogo.api.device.DeviceTree;
import io.pogo.api.device.DtNode;
import io.pogo.api.device.DtProperty;
import io.pogo.api.device.DtValue;
import io.pogo.virtio.SegmentMemory;
import io.pogo.virtio.TestContext;
import io.pogo.virtio.VirtioDevice;
import io.pogo.virtio.VirtioMmio;
import io.pogo.virtio.Virtqueue;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The transport of a slot without a device, register for register as QEMU 7.2's virtio-mmio without a backend. */
class EmptyTransportTest {

    private static final long MAGIC = 0x7472_6976L;
    private static final long VENDOR = 0x554d_4551L;

    private final SegmentMemory memory = new SegmentMemory(0x8000_0000L, 1 << 16);
    private final EmptyTransportFactory factory = new EmptyTransportFactory();

    private Device empty(TestContext context) {
        return factory.create(context);
    }

    @Test
    void identifiesAsATransportWithDeviceIdZeroAndEverythingElseReadsZero() {
        Device slot = empty(new TestContext(memory, Map.of()));
        assertEquals(MAGIC, slot.read(0x000, 4));
        assertEquals(2, slot.read(0x004, 4), "modern unless asked for legacy, as Pogo's virtio devices");
        assertEquals(0, slot.read(0x008, 4), "device ID 0: no driver claims the slot");
        assertEquals(VENDOR, slot.read(0x00c, 4));
        for (long offset = 0x010; offset < 0x1000; offset += 4) {
            assertEquals(0, slot.read(offset, 4), "register 0x" + Long.toHexString(offset));
        }
    }

    @Test
    void legacyOnPresentsVersionOne() {
        assertEquals(1, empty(new TestContext(memory, Map.of("legacy", "on"))).read(0x004, 4));
        assertEquals(2, empty(new TestContext(memory, Map.of("legacy", "off"))).read(0x004, 4));
    }

    @Test
    void ignoresWritesAndNeverInterrupts() {
        TestContext context = new TestContext(memory, Map.of());
        Device slot = empty(context);
        for (long offset = 0; offset < 0x200; offset += 4) {
            slot.write(offset, 4, 0xffff_ffffL);
        }
        assertEquals(MAGIC, slot.read(0x000, 4));
        assertEquals(0, slot.read(0x070, 4), "status");
        assertEquals(0, slot.read(0x060, 4), "interrupt status");
        assertFalse(context.interrupted());
    }

    /** QEMU hands any access size to the register at the offset (8 bytes as two 4-byte halves). */
    @Test
    void narrowAndWideReadsSeeTheSameRegisters() {
        Device slot = empty(new TestContext(memory, Map.of()));
        assertEquals(0x76, slot.read(0x000, 1), "'v', the low byte of the magic value");
        assertEquals(0x6976, slot.read(0x000, 2));
        assertEquals(0, slot.read(0x001, 1), "no register at offset 1");
        assertEquals(2L << 32 | MAGIC, slot.read(0x000, 8));
        assertEquals(VENDOR << 32, slot.read(0x008, 8));
    }

    @Test
    void wrongOptionsAreOneLineErrors() {
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> empty(new TestContext(memory, Map.of("file", "x"))));
        assertEquals("--device virtio-mmio: unknown option 'file' (known: legacy)", unknown.getMessage());
        IllegalArgumentException badLegacy = assertThrows(IllegalArgumentException.class,
                () -> empty(new TestContext(memory, Map.of("legacy", "maybe"))));
        assertEquals("--device virtio-mmio legacy=maybe: expected on or off", badLegacy.getMessage());
    }

    /** The node is QEMU's for the slot, the same a transport with a device in the same slot writes. */
    @Test
    void describesTheSlotAsATransportWithADeviceWould() {
        TestContext context = new TestContext(memory, Map.of());
        assertEquals(nodes(new VirtioMmio(context, new NoQueues())), nodes(empty(context)));
        assertEquals(List.of("virtio_mmio@10008000 interrupts=[8] interrupt-parent=[3] reg=[0, 268468224, 0, 4096]"
                + " compatible=[virtio,mmio]"), nodes(empty(context)));
    }

    private static List<String> nodes(Device device) {
        List<String> nodes = new ArrayList<>();
        device.describe(new DeviceTree() {
            @Override
            public int hartInterruptController(int hartId) {
                return 1 + hartId;
            }

            @Override
            public int interruptParent() {
                return 3;
            }

            @Override
            public int newPhandle() {
                return 4;
            }

            @Override
            public void addDevice(DtNode node) {
                nodes.add(node.name() + " " + node.properties().stream().map(EmptyTransportTest::property)
                        .collect(Collectors.joining(" ")));
            }

            @Override
            public void addRootNode(DtNode node) {
                nodes.add("/" + node.name());
            }

            @Override
            public void choose(DtProperty property) {
                nodes.add("chosen " + property(property));
            }
        });
        return nodes;
    }

    private static String property(DtProperty property) {
        String value = switch (property.value()) {
            case DtValue.Cells(int[] cells) -> Arrays.toString(cells);
            case DtValue.Strings(String[] strings) -> Arrays.toString(strings);
            case DtValue.Bytes(byte[] bytes) -> Arrays.toString(bytes);
            case DtValue.Empty() -> "";
        };
        return property.name() + "=" + value;
    }

    /** A device type with nothing to serve, to put a real transport in the same slot. */
    private static final class NoQueues implements VirtioDevice {
        @Override
        public int deviceId() {
            return 42;
        }

        @Override
        public long features() {
            return 0;
        }

        @Override
        public int queueCount() {
            return 0;
        }

        @Override
        public long readConfig(int offset, int size) {
            return 0;
        }

        @Override
        public void writeConfig(int offset, int size, long value) {
        }

        @Override
        public void activate(long negotiatedFeatures, List<Virtqueue> queues) {
        }

        @Override
        public void queueNotified(int queue) {
        }

        @Override
        public void reset() {
        }

        @Override
        public void close() {
        }
    }
}
