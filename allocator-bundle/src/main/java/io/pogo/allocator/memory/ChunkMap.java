package io.pogo.allocator.memory;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Which chunks of a bank of guest RAM have host memory behind them, one bit each. The CPU reads it on its
 * TLB-miss path, so a look-up is one array load; bits are only set under the broker's lock.
 */
final class ChunkMap {

    /**
     * Guest RAM is backed a chunk at a time: small enough for caps to bite, large enough for few first touches. A
     * chunk is one of the host's huge pages ({@link HostSpace#ALIGNMENT}), which is what the host backs at a first
     * touch of RAM advised for them ({@link HostPages#remap}): what a cap and the budget count is what the host holds.
     */
    static final long CHUNK = HostSpace.ALIGNMENT;
    private static final int CHUNK_SHIFT = Long.numberOfTrailingZeros(CHUNK);

    private final AtomicLongArray bits;
    private volatile long backedChunks;

    ChunkMap(long size) {
        bits = new AtomicLongArray((int) ((chunks(size) + 63) >>> 6));
    }

    static long chunks(long size) {
        return (size + CHUNK - 1) >>> CHUNK_SHIFT;
    }

    /** Whether the chunk holding RAM offset {@code offset} is backed. */
    boolean isBacked(long offset) {
        long chunk = offset >>> CHUNK_SHIFT;
        return (bits.get((int) (chunk >>> 6)) & (1L << chunk)) != 0;
    }

    /** Marks the chunk holding {@code offset} backed; the caller holds the broker's lock. */
    void markBacked(long offset) {
        long chunk = offset >>> CHUNK_SHIFT;
        long before = bits.getAndAccumulate((int) (chunk >>> 6), 1L << chunk, (word, bit) -> word | bit);
        if ((before & (1L << chunk)) == 0) {
            backedChunks++;
        }
    }

    long backedBytes() {
        return backedChunks * CHUNK;
    }
}
