package io.pogo.cpu.jit;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;

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

    /** The region cut to its first {@code count} blocks, which still start with the entry. */
    Region firstBlocks(int count) {
        return new Region(Arrays.copyOf(blocks, count), Arrays.copyOf(offsets, count), hostSpace);
    }
}
