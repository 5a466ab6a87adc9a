package io.pogo.allocator.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pogo.api.allocator.MemoryPolicy;
import io.pogo.api.allocator.SchedulingPolicy;
import io.pogo.api.dispatch.VmContext;
import io.pogo.api.memory.GuestMemory;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MemoryBrokerTest {

    private static final long BASE = 0x8000_0000L;
    private static final long MIB = 1L << 20;

    @Test
    void aVmLargerThanWhatTheHostBudgetHasLeftIsRefusedWhateverThePolicy() {
        MemoryBroker broker = new MemoryBroker();
        broker.bindPolicy(new EagerMemory(), Map.of(SchedulingPolicy.NAME, EagerMemory.NAME));
        broker.bindPolicy(new OnDemandMemory(), Map.of(SchedulingPolicy.NAME, OnDemandMemory.NAME));
        for (String policy : new String[] {EagerMemory.NAME, OnDemandMemory.NAME}) {
            broker.use(policy);
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                    () -> broker.allocate("huge", BASE, 1L << 50));
            assertTrue(refused.getMessage().contains("exceeds the host memory budget"), refused.getMessage());
        }
    }

    @Test
    void byDefaultGuestRamIsBackedOnlyWhereTheGuestTouchesIt() {
        MemoryBroker broker = new MemoryBroker();
        broker.bindPolicy(new EagerMemory(), Map.of(SchedulingPolicy.NAME, EagerMemory.NAME));
        broker.bindPolicy(new OnDemandMemory(), Map.of(SchedulingPolicy.NAME, OnDemandMemory.NAME));
        GuestMemory memory = broker.allocate("default", BASE, 1L << 30);
        memory.store(BASE + (1L << 29), 8, 0x1234_5678_9abc_def0L);
        assertEquals(0, memory.load(BASE, 8), "untouched RAM reads as zero");
        assertEquals(0x1234_5678_9abc_def0L, memory.load(BASE + (1L << 29), 8));
        // a huge page at most for each 2 MiB range touched: the one written, and the one read (the host's zero page)
        assertTrue(broker.residentBytes(memory) <= 2 * ChunkMap.CHUNK, "resident: " + broker.residentBytes(memory));
        broker.release(memory);
    }

    @Test
    void eachVmIsReleasedByThePolicyThatBackedIt() {
        MemoryBroker broker = new MemoryBroker();
        broker.bindPolicy(new EagerMemory(), Map.of(SchedulingPolicy.NAME, EagerMemory.NAME));
        broker.bindPolicy(new OnDemandMemory(), Map.of(SchedulingPolicy.NAME, OnDemandMemory.NAME));
        broker.use(EagerMemory.NAME);
        GuestMemory eager = broker.allocate("a", BASE, 1L << 20);
        broker.use(OnDemandMemory.NAME);
        GuestMemory lazy = broker.allocate("b", BASE, 1L << 30);
        assertEquals(1L << 20, broker.residentBytes(eager));
        assertTrue(broker.residentBytes(lazy) < 1L << 20);
        broker.release(eager);
        broker.release(lazy);
        assertEquals(0, broker.residentBytes(lazy), "a released VM has nothing resident");
    }

    @Test
    void firstTouchesAreBackedAChunkAtATimeAndAVmAtItsCapWaitsUntilTheCapIsRaised() {
        MemoryBroker broker = onDemandBroker();
        GuestMemory memory = broker.allocate("capped", BASE, 64 * MIB);
        WaitingVm vm = new WaitingVm("capped", memory);
        assertEquals(2 * MIB, ChunkMap.CHUNK);
        broker.setMemoryCap("capped", 4 * MIB);
        assertFalse(memory.backed(BASE));
        assertTrue(broker.firstTouch(vm.context(), BASE + 4096));
        assertTrue(memory.backed(BASE) && memory.backed(BASE + 2 * MIB - 1));
        assertFalse(memory.backed(BASE + 2 * MIB));
        assertTrue(broker.firstTouch(vm.context(), BASE + 5 * MIB));
        assertFalse(broker.firstTouch(vm.context(), BASE + 9 * MIB), "a third chunk is over a 4M cap");
        assertFalse(memory.backed(BASE + 9 * MIB));
        assertEquals(List.of("wait: waiting for memory: capped is at its memory cap of 4M"
                + " (alloc:memcap capped SIZE raises it)"), vm.events);
        broker.setMemoryCap("capped", 6 * MIB);
        assertEquals("granted", vm.events.getLast());
        assertTrue(broker.firstTouch(vm.context(), BASE + 9 * MIB));
        broker.release(memory);
    }

    @Test
    void ramBackedInFullAtCreationIsRefusedACapItCouldNeverFeel() {
        MemoryBroker broker = onDemandBroker();
        broker.bindPolicy(new EagerMemory(), Map.of(SchedulingPolicy.NAME, EagerMemory.NAME));
        broker.use(EagerMemory.NAME);
        GuestMemory eager = broker.allocate("eager", BASE, 64 * MIB);
        broker.use(OnDemandMemory.NAME);
        GuestMemory lazy = broker.allocate("lazy", BASE, 64 * MIB);
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> broker.setMemoryCap("eager", 16 * MIB));
        assertEquals("eager's RAM was backed in full when it was created: only RAM backed on demand can be capped"
                + " (alloc:use memory on-demand, then create the VM)", refused.getMessage());
        assertEquals(0, broker.memoryCap("eager"));
        broker.setMemoryCap("eager", 0);
        broker.setMemoryCap("lazy", 16 * MIB);
        assertEquals(16 * MIB, broker.memoryCap("lazy"));
        broker.release(eager);
        broker.release(lazy);
    }

    @Test
    void deviceWritesBackChunksTooAndAreRefusedInOneSentenceOverTheCap() {
        MemoryBroker broker = onDemandBroker();
        GuestMemory memory = broker.allocate("dma", BASE, 64 * MIB);
        broker.setMemoryCap("dma", 2 * MIB);
        memory.write(BASE + 16, new byte[] {1, 2, 3}, 0, 3);
        assertTrue(memory.backed(BASE));
        assertEquals(0, memory.load(BASE + 32 * MIB, 8), "reading untouched RAM backs nothing");
        assertFalse(memory.backed(BASE + 32 * MIB));
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> memory.store(BASE + 32 * MIB, 4, 7));
        assertEquals("waiting for memory: dma is at its memory cap of 2M (alloc:memcap dma SIZE raises it)",
                refused.getMessage());
        broker.release(memory);
    }

    @Test
    void aPolicyThatCannotSpareTheMemoryMakesTheVmWaitForTheHostBudget() {
        MemoryBroker broker = onDemandBroker();
        broker.bindPolicy(new StingyMemory(), Map.of(SchedulingPolicy.NAME, "stingy"));
        broker.use("stingy");
        GuestMemory memory = broker.allocate("starved", BASE, 64 * MIB);
        WaitingVm vm = new WaitingVm("starved", memory);
        assertFalse(broker.firstTouch(vm.context(), BASE));
        assertTrue(vm.events.getFirst().startsWith("wait: waiting for memory: the host memory budget is spent"),
                vm.events.toString());
        broker.release(memory);
    }

    private static MemoryBroker onDemandBroker() {
        MemoryBroker broker = new MemoryBroker();
        broker.bindPolicy(new OnDemandMemory(), Map.of(SchedulingPolicy.NAME, OnDemandMemory.NAME));
        return broker;
    }

    /** Backs on demand, but never a chunk more. */
    private static final class StingyMemory implements MemoryPolicy {
        private final OnDemandMemory onDemand = new OnDemandMemory();

        @Override
        public GuestMemory back(String vmName, long base, long size) {
            return onDemand.back(vmName, base, size);
        }

        @Override
        public long residentBytes(GuestMemory memory) {
            return onDemand.residentBytes(memory);
        }

        @Override
        public long committedBytes(GuestMemory memory) {
            return 0;
        }

        @Override
        public void release(GuestMemory memory) {
            onDemand.release(memory);
        }

        @Override
        public boolean backOnTouch(String vmName, long bytes, long budgetLeft) {
            return false;
        }
    }

    /** A VM as the broker sees it: its name and RAM, and what it was told (wait, granted). */
    private static final class WaitingVm {
        final List<String> events = new ArrayList<>();
        private final String name;
        private final GuestMemory memory;

        WaitingVm(String name, GuestMemory memory) {
            this.name = name;
            this.memory = memory;
        }

        VmContext context() {
            return (VmContext) Proxy.newProxyInstance(VmContext.class.getClassLoader(),
                    new Class<?>[] {VmContext.class}, (proxy, method, arguments) -> switch (method.getName()) {
                        case "name" -> name;
                        case "memory" -> memory;
                        case "waitForResources" -> {
                            events.add("wait: " + arguments[0]);
                            yield null;
                        }
                        case "resourcesGranted" -> {
                            events.add("granted");
                            yield null;
                        }
                        default -> throw new UnsupportedOperationException(method.getName());
                    });
        }
    }
}
