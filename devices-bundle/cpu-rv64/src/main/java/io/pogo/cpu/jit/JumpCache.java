package io.pogo.cpu.jit;

import java.util.Arrays;

/**
 * The block last looked up at each of a few hundred pcs, for as long as the code cache's {@link CodeCache#epoch}
 * stays the same, as a block's links are: a block its predecessor's two links do not hold (a return to one of a
 * function's many callers, a region left at one of its many exits) is found in a few loads rather than by a
 * translation and a search of its page, which took some 5% of bench.elf's vCPU time. A page dropped, and an idle
 * hart's trim of the blocks it no longer runs, take the cache's references with them, so that dropped code stays
 * unreachable and its classes can be unloaded; a block found here counts as looked up for that trim.
 */
final class JumpCache {
    private static final int SLOTS = 512;
    private final long[] pcs = new long[SLOTS];
    private final long[] epochs = new long[SLOTS];
    private final Block[] blocks = new Block[SLOTS];

    JumpCache() {
        Arrays.fill(epochs, -1);
    }

    /** The block looked up at {@code pc} in {@code epoch}, or null. */
    Block find(long pc, long epoch) {
        int slot = slot(pc);
        return pcs[slot] == pc && epochs[slot] == epoch ? blocks[slot] : null;
    }

    void remember(long pc, Block block, long epoch) {
        int slot = slot(pc);
        pcs[slot] = pc;
        epochs[slot] = epoch;
        blocks[slot] = block;
    }

    void clear() {
        Arrays.fill(epochs, -1);
        Arrays.fill(blocks, null);
    }

    private static int slot(long pc) {
        return (int) (pc >>> 1) & (SLOTS - 1);
    }
}
