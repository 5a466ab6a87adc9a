package io.pogo.allocator.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pogo.api.allocator.SchedulingPolicy;
import io.pogo.api.memory.GuestMemory;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MemoryBrokerTest {

    private static final long BASE = 0x8000_0000L;

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
        assertTrue(broker.residentBytes(memory) < 1L << 20, "resident: " + broker.residentBytes(memory));
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
}
