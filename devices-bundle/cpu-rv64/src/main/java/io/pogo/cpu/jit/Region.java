package io.pogo.cpu.jit;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Comparator;

/**
 * Blocks of one guest page that static control flow links, to be compiled into one method: the entry block first,
 * then the blocks its branches and jumps reach, breadth first. Each block's offset is in bytes from the entry's
 * start; as the blocks share the entry's page, the same offsets hold wherever the page is mapped. {@code hostSpace}
 * is the segment guest RAM is a slice of, which the region's loads and stores reach at offsets the TLB gives.
 */
record Region(Block[] blocks, long[] offsets, MemorySegment hostSpace) {
    /** The index of the block starting {@code offset} bytes from the entry, or -1 if the region has none there. */
    int indexOf(long offset) {
        for (int k = 0; k < offsets.length; k++) {
            if (offsets[k] == offset) {
                return k;
            }
        }
        return -1;
    }

    /**
     * The region with its blocks in the order it is best cut in: the entry, then the blocks of the loops through
     * it, then those of other loops, then the rest, each group in breadth-first order. A region too large for the
     * JVM to compile keeps its {@link #firstBlocks first} ones, so it keeps its loops before code that runs once.
     */
    Region loopsFirst() {
        int count = blocks.length;
        boolean[][] reaches = new boolean[count][count];
        for (int k = 0; k < count; k++) {
            for (long successor : CodeCache.successors(blocks[k])) {
                int target = successor == CodeCache.NO_SUCCESSOR ? -1 : indexOf(offsets[k] + successor);
                if (target >= 0) {
                    reaches[k][target] = true;
                }
            }
        }
        for (int via = 0; via < count; via++) {
            for (int from = 0; from < count; from++) {
                if (reaches[from][via]) {
                    for (int to = 0; to < count; to++) {
                        reaches[from][to] |= reaches[via][to];
                    }
                }
            }
        }
        Integer[] order = new Integer[count];
        Arrays.setAll(order, k -> k);
        Arrays.sort(order, Comparator.comparingInt(k -> k == 0 ? 0 : reaches[k][0] ? 1 : reaches[k][k] ? 2 : 3));
        return new Region(Arrays.stream(order).map(k -> blocks[k]).toArray(Block[]::new),
                Arrays.stream(order).mapToLong(k -> offsets[k]).toArray(), hostSpace);
    }

    /** The region cut to its first {@code count} blocks, which still start with the entry. */
    Region firstBlocks(int count) {
        return new Region(Arrays.copyOf(blocks, count), Arrays.copyOf(offsets, count), hostSpace);
    }
}
