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
    void discardedPagesGoBackToTheHostAndReadAsZero() {
        GuestMemory memory = policy.back("vm", BASE, 64L << 20);
        try {
            for (long offset = 0; offset < (32L << 20); offset += 4096) {
                memory.store(BASE + offset, 8, offset | 1);
            }
            long touched = policy.residentBytes(memory);
            memory.discard(BASE + 100, (16L << 20) - 100);
            long after = policy.residentBytes(memory);
            assertTrue(touched - after >= (16L << 20) - 8192 && touched - after <= 16L << 20,
                    "only whole pages inside the range go: " + touched + " then " + after);
            assertEquals(1, memory.load(BASE, 8), "the partial first page stays");
            assertEquals(0, memory.load(BASE + 4096, 8));
            assertEquals((16L << 20) | 1, memory.load(BASE + (16L << 20), 8));
            memory.discard(BASE - 4096, 1L << 40);
            memory.discard(BASE + (64L << 20), 4096);
            memory.discard(0, -1);
            assertTrue(policy.residentBytes(memory) < 64 * 1024, "a range past RAM discards what lies inside RAM");
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
