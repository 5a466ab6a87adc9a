package io.pogo.cpu.jit;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/** The jump cache answers only for the pc and epoch it was told, and forgets everything when cleared. */
class JumpCacheTest {
    private static final long PC = 0x8000_1234L;

    private static Block block() {
        return new Block(new long[1], new int[1], new int[1], 4, false);
    }

    @Test
    void findsABlockInItsEpochOnly() {
        JumpCache cache = new JumpCache();
        Block block = block();
        cache.remember(PC, block, 7);
        assertSame(block, cache.find(PC, 7));
        assertNull(cache.find(PC, 8), "another epoch");
        assertNull(cache.find(PC + 2 * 512, 7), "another pc in the same slot");
    }

    @Test
    void forgetsItsBlocksWhenCleared() {
        JumpCache cache = new JumpCache();
        cache.remember(PC, block(), 7);
        cache.clear();
        assertNull(cache.find(PC, 7));
    }
}
