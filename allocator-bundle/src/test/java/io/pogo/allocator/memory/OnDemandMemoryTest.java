package io.pogo.allocator.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pogo.api.memory.GuestMemory;
import org.junit.jupiter.api.Test;

class OnDemandMemoryTest {

    private static final long BASE = 0x8000_0000L;
    private final OnDemandMemory policy = new OnDemandMemory();

    @Test
    void onlyTouchedPagesAreBacked() {
        GuestMemory memory = policy.back("vm", BASE, 1L << 30);
        try {
            assertTrue(policy.residentBytes(memory) < 64 * 1024, "nothing touched yet");
            for (int page = 0; page < 100; page++) {
                memory.store(BASE + page * 8192L, 8, page);
            }
            long resident = policy.residentBytes(memory);
            assertTrue(resident >= 100 * 4096 && resident < (16L << 20), "resident " + resident);
            assertEquals(99, memory.load(BASE + 99 * 8192L, 8));
            assertEquals(0, memory.load(BASE + (1L << 30) - 8, 8), "untouched memory reads as zero");
            assertEquals(0, policy.committedBytes(memory));
        } finally {
            policy.release(memory);
        }
    }

    @Test
    void accessAfterReleaseFailsInsteadOfCrashing() {
        GuestMemory memory = policy.back("vm", BASE, 1L << 20);
        policy.release(memory);
        assertThrows(IllegalStateException.class, () -> memory.load(BASE, 8));
    }

}
