package io.pogo.virtio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Builders;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AddLifecycleHook;

/**
 * A hostile driver: random queue sizes and ring addresses, descriptor tables full of random addresses (in RAM, at
 * its edges, outside it, wrapping past 2^64), lengths, flags and next indices (loops included), indirect tables,
 * and available rings that name any head or run ahead. The device never throws to the host; it ends with every
 * offered chain completed or with DEVICE_NEEDS_RESET; and it writes guest RAM only inside the used ring and the
 * buffers the tables mark device-writable.
 */
@AddLifecycleHook(FuzzSettings.class)
class VirtqueueFuzzTest {

    private static final long RAM = 0x8000_0000L;
    private static final int RAM_BYTES = 64 << 10;
    private static final int F_NEXT = 1;
    private static final int F_WRITE = 2;
    private static final int F_INDIRECT = 4;
    private static final int STATUS = 0x70;
    private static final int NEEDS_RESET = 0x40;
    private static final int USUAL_DESCRIPTORS = 0x100;
    private static final int USUAL_DRIVER_AREA = 0x1100;
    private static final int USUAL_DEVICE_AREA = 0x1300;
    /** Buffers and indirect tables usually start here, above the rings. */
    private static final int BUFFERS = 0x2000;

    record Descriptor(long address, long length, int flags, int next) {
    }

    /** Descriptors laid out at {@code address}. */
    record Table(long address, List<Descriptor> descriptors) {
    }

    /** Everything a driver decides: the queue's layout, what it offers and how it notifies. */
    record Scenario(int size, long descriptors, long driverArea, long deviceArea, boolean indirect, Table table,
                    List<Table> indirectTables, List<Integer> heads, int availableIndexExtra, List<Integer> notified) {
    }

    /** A device that reads every readable byte and fills every writable one, as a real one may. */
    private static final class FillingDevice implements VirtioDevice {
        private volatile List<Virtqueue> queues = List.of();

        @Override
        public int deviceId() {
            return 0x7f;
        }

        @Override
        public long features() {
            return 0;
        }

        @Override
        public int queueCount() {
            return 2;
        }

        @Override
        public long readConfig(int offset, int size) {
            return 0;
        }

        @Override
        public void writeConfig(int offset, int size, long value) {
        }

        @Override
        public void activate(long negotiatedFeatures, List<Virtqueue> active) {
            queues = active;
        }

        @Override
        public void queueNotified(int queue) {
            Virtqueue virtqueue = queues.get(queue);
            for (Optional<DescriptorChain> chain = virtqueue.poll(); chain.isPresent(); chain = virtqueue.poll()) {
                chain.get().readAll();
                byte[] fill = new byte[chain.get().writableLength()];
                Arrays.fill(fill, (byte) 0xa5);
                int written = chain.get().write(0, fill, 0, fill.length);
                virtqueue.complete(chain.get(), written);
            }
        }

        @Override
        public void reset() {
            queues = List.of();
        }

        @Override
        public void close() {
        }
    }

    @Property(tries = 400)
    void hostileChainsAreCompletedOrResetTheDeviceAndWriteOnlyWhereAllowed(@ForAll("scenarios") Scenario scenario) {
        SegmentMemory memory = new SegmentMemory(RAM, RAM_BYTES);
        VirtioMmio transport = new VirtioMmio(new TestContext(memory, Map.of()), new FillingDevice());
        lay(memory, scenario);
        byte[] before = snapshot(memory);

        start(transport, scenario);
        for (int queue : scenario.notified()) {
            transport.write(0x50, 4, queue);
        }

        assertFalse(transport.failure().startsWith("device error"), transport.failure());
        int status = (int) transport.read(STATUS, 4);
        boolean reset = (status & NEEDS_RESET) != 0;
        assertEquals(reset, !transport.failure().isEmpty(), "a failure reason exactly when the device needs a reset");
        byte[] after = snapshot(memory);
        List<long[]> allowed = writable(scenario);
        for (int offset = 0; offset < RAM_BYTES; offset++) {
            if (before[offset] != after[offset]) {
                long address = RAM + offset;
                assertTrue(allowed.stream().anyMatch(range -> address - range[0] >= 0 && address - range[0] < range[1]),
                        "the device wrote 0x%x, outside the used ring and the writable buffers".formatted(address));
            }
        }
        if (!reset && scenario.notified().contains(0) && scenario.availableIndexExtra() == 0
                && ringsApartFromEverything(scenario, allowed)) {
            assertEquals(scenario.heads().size(), memory.load(scenario.deviceArea() + 2, 2),
                    "every offered chain completed");
            Set<Integer> offered = new HashSet<>(scenario.heads());
            for (int i = 0; i < scenario.heads().size(); i++) {
                long element = scenario.deviceArea() + 4 + 8L * (i % scenario.size());
                assertTrue(offered.contains((int) memory.load(element, 4)), "a used id that was offered");
            }
        }
    }

    /** The driver's sequence: reset, ACKNOWLEDGE, DRIVER, features, FEATURES_OK, queue 0, DRIVER_OK. */
    private static void start(VirtioMmio transport, Scenario scenario) {
        long features = VirtioMmio.F_VERSION_1 | (scenario.indirect() ? VirtioMmio.F_INDIRECT_DESC : 0);
        transport.write(STATUS, 4, 0);
        transport.write(STATUS, 4, 1);
        transport.write(STATUS, 4, 3);
        transport.write(0x24, 4, 0);
        transport.write(0x20, 4, features & 0xffff_ffffL);
        transport.write(0x24, 4, 1);
        transport.write(0x20, 4, features >>> 32);
        transport.write(STATUS, 4, 11);
        transport.write(0x30, 4, 0);
        transport.write(0x38, 4, scenario.size());
        transport.write(0x80, 4, scenario.descriptors() & 0xffff_ffffL);
        transport.write(0x84, 4, scenario.descriptors() >>> 32);
        transport.write(0x90, 4, scenario.driverArea() & 0xffff_ffffL);
        transport.write(0x94, 4, scenario.driverArea() >>> 32);
        transport.write(0xa0, 4, scenario.deviceArea() & 0xffff_ffffL);
        transport.write(0xa4, 4, scenario.deviceArea() >>> 32);
        transport.write(0x44, 4, 1);
        transport.write(STATUS, 4, 15);
    }

    /** Writes the tables and the available ring wherever they fall in RAM; what falls outside is not there. */
    private static void lay(SegmentMemory memory, Scenario scenario) {
        List<Table> tables = new ArrayList<>(scenario.indirectTables());
        tables.add(scenario.table());
        for (Table table : tables) {
            for (int i = 0; i < table.descriptors().size(); i++) {
                Descriptor descriptor = table.descriptors().get(i);
                long at = table.address() + 16L * i;
                store(memory, at, 8, descriptor.address());
                store(memory, at + 8, 4, descriptor.length());
                store(memory, at + 12, 2, descriptor.flags());
                store(memory, at + 14, 2, descriptor.next());
            }
        }
        int size = Math.max(1, scenario.size());
        for (int i = 0; i < scenario.heads().size(); i++) {
            store(memory, scenario.driverArea() + 4 + 2L * (i % size), 2, scenario.heads().get(i));
        }
        store(memory, scenario.driverArea() + 2, 2, scenario.heads().size() + scenario.availableIndexExtra());
    }

    private static void store(SegmentMemory memory, long address, int size, long value) {
        if (memory.contains(address, size)) {
            memory.store(address, size, value);
        }
    }

    /** The used ring, and every buffer a table marks device-writable, in the main table or an indirect one. */
    private static List<long[]> writable(Scenario scenario) {
        List<long[]> ranges = new ArrayList<>();
        ranges.add(new long[] {scenario.deviceArea(), 6 + 8L * Math.max(0, scenario.size())});
        List<Descriptor> main = scenario.table().descriptors();
        for (Descriptor descriptor : main) {
            if ((descriptor.flags() & F_WRITE) != 0) {
                ranges.add(new long[] {descriptor.address(), descriptor.length()});
            }
            if ((descriptor.flags() & F_INDIRECT) != 0) {
                for (Table table : scenario.indirectTables()) {
                    if (table.address() == descriptor.address()) {
                        table.descriptors().stream().filter(inner -> (inner.flags() & F_WRITE) != 0)
                                .forEach(inner -> ranges.add(new long[] {inner.address(), inner.length()}));
                    }
                }
            }
        }
        return ranges;
    }

    /**
     * Whether the rings sit in their usual places, below every buffer: only then is the used ring the device's
     * account alone, and can be read back as a list of completions.
     */
    private static boolean ringsApartFromEverything(Scenario scenario, List<long[]> writable) {
        return scenario.descriptors() == RAM + USUAL_DESCRIPTORS && scenario.driverArea() == RAM + USUAL_DRIVER_AREA
                && scenario.deviceArea() == RAM + USUAL_DEVICE_AREA
                && writable.stream().skip(1).allMatch(range -> range[1] == 0
                        || Long.compareUnsigned(range[0] - RAM, BUFFERS) >= 0
                        && Long.compareUnsigned(range[0] - RAM, RAM_BYTES) < 0);
    }

    private static byte[] snapshot(SegmentMemory memory) {
        byte[] bytes = new byte[RAM_BYTES];
        memory.read(RAM, bytes, 0, RAM_BYTES);
        return bytes;
    }

    @Provide
    Arbitrary<Scenario> scenarios() {
        Arbitrary<Integer> size = Arbitraries.frequencyOf(Tuple.of(8, Arbitraries.of(1, 2, 4, 8, 16)),
                Tuple.of(1, Arbitraries.of(0, 3, 256, 257, 0x8000, -1)));
        return size.flatMap(queueSize -> {
            int entries = Math.min(Math.max(queueSize, 1), 16);
            Arbitrary<Table> indirectTable = Arbitraries.integers().between(1, 8).flatMap(count ->
                    Arbitraries.integers().between(BUFFERS, RAM_BYTES - 16 * count).map(offset -> RAM + (offset & ~15))
                            .flatMap(at -> descriptor(count).list().ofSize(count).map(list -> new Table(at, list))));
            return Builders.withBuilder(() -> new Object[10])
                    .use(Arbitraries.just(queueSize)).in((b, v) -> set(b, 0, v))
                    .use(ring(16, USUAL_DESCRIPTORS)).in((b, v) -> set(b, 1, v))
                    .use(ring(2, USUAL_DRIVER_AREA)).in((b, v) -> set(b, 2, v))
                    .use(ring(4, USUAL_DEVICE_AREA)).in((b, v) -> set(b, 3, v))
                    .use(Arbitraries.of(true, false)).in((b, v) -> set(b, 4, v))
                    .use(descriptor(entries).list().ofSize(entries)).in((b, v) -> set(b, 5, v))
                    .use(indirectTable.list().ofMaxSize(2)).in((b, v) -> set(b, 6, v))
                    .use(Arbitraries.integers().between(0, entries + 2).list().ofMaxSize(2 * entries))
                    .in((b, v) -> set(b, 7, v))
                    .use(Arbitraries.frequencyOf(Tuple.of(9, Arbitraries.just(0)),
                            Tuple.of(1, Arbitraries.integers().between(-3, 0x10000)))).in((b, v) -> set(b, 8, v))
                    .use(Arbitraries.frequencyOf(Tuple.of(8, Arbitraries.just(List.of(0))),
                            Tuple.of(2, Arbitraries.integers().between(-1, 2).list().ofMaxSize(3))))
                    .in((b, v) -> set(b, 9, v))
                    .build(VirtqueueFuzzTest::scenario);
        });
    }

    private static Object[] set(Object[] builder, int index, Object value) {
        builder[index] = value;
        return builder;
    }

    @SuppressWarnings("unchecked")
    private static Scenario scenario(Object[] parts) {
        long descriptors = (Long) parts[1];
        return new Scenario((Integer) parts[0], descriptors, (Long) parts[2], (Long) parts[3], (Boolean) parts[4],
                new Table(descriptors, (List<Descriptor>) parts[5]), (List<Table>) parts[6], (List<Integer>) parts[7],
                (Integer) parts[8], (List<Integer>) parts[9]);
    }

    /** Where a ring goes: usually its own aligned spot in RAM, sometimes misaligned, outside RAM or at its edge. */
    private static Arbitrary<Long> ring(int alignment, int usual) {
        return Arbitraries.frequencyOf(Tuple.of(12, Arbitraries.just(RAM + usual)),
                Tuple.of(2, Arbitraries.integers().between(0, RAM_BYTES).map(offset -> RAM + (offset & -alignment))),
                Tuple.of(1, Arbitraries.of(RAM + 1, RAM + RAM_BYTES - 16, RAM - 16, 0L, -16L, 0xffff_ffffL)));
    }

    private static Arbitrary<Descriptor> descriptor(int tableSize) {
        Arbitrary<Long> address = Arbitraries.frequencyOf(
                Tuple.of(10, Arbitraries.integers().between(BUFFERS, RAM_BYTES - 1).map(offset -> RAM + offset)),
                Tuple.of(2, Arbitraries.of(RAM, RAM + RAM_BYTES - 1, RAM + RAM_BYTES, RAM - 1, 0L, -1L, -4096L,
                        Long.MIN_VALUE, RAM + USUAL_DESCRIPTORS, RAM + USUAL_DRIVER_AREA)),
                Tuple.of(1, Arbitraries.longs()));
        Arbitrary<Long> length = Arbitraries.frequencyOf(
                Tuple.of(10, Arbitraries.longs().between(0, 600)),
                Tuple.of(2, Arbitraries.of(0L, 1L, 16L, 0x7fff_ffffL, 0x8000_0000L, 0xffff_ffffL, (long) RAM_BYTES,
                        1L << 26, (1L << 26) + 1)),
                Tuple.of(1, Arbitraries.longs().between(0, 0xffff_ffffL)));
        Arbitrary<Integer> flags = Arbitraries.frequencyOf(Tuple.of(10, Arbitraries.integers().between(0, 7)),
                Tuple.of(1, Arbitraries.integers().between(0, 0xffff)));
        Arbitrary<Integer> next = Arbitraries.frequencyOf(Tuple.of(10, Arbitraries.integers().between(0, tableSize)),
                Tuple.of(1, Arbitraries.integers().between(0, 0xffff)));
        return net.jqwik.api.Combinators.combine(address, length, flags, next).as(Descriptor::new);
    }
}
