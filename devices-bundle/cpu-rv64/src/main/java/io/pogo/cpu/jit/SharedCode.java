package io.pogo.cpu.jit;

import java.util.Arrays;

/**
 * What the code caches of every hart of the process share when their guests run the same code: the arrays of
 * blocks decoded from the same bits, and the images of code pages of the same bytes. VMs of one kernel idle on the
 * same thousand or so blocks over the same few dozen pages, and each VM kept copies of its own of their arrays and
 * images: most of an idle VM's heap. Both are shared only while nothing writes them: a block's arrays never change
 * once decoded (its instructions and their offsets follow from its bits alone, pc-relative immediates being
 * rebased to the block's start), and a code page copies a shared image before it writes to it.
 *
 * <p>A block's arrays are shared as one, by its bits (one weakly held entry and one lookup a block of bits already
 * decoded), where an entry and a lookup per array had cost a Linux boot some 75 thousand entries, 3 MB that every
 * young collection copied, and a third of its decoding time.
 */
public final class SharedCode {
    private final WeakTable<int[]> blocks = new WeakTable<>();
    /**
     * Blocks of other bits often have the same offsets (all blocks of n 4-byte instructions do), so these are
     * shared on their own too, looked up when a block's bits are new.
     */
    private final SharedArrays<int[]> sharedOffsets = new SharedArrays<>(Arrays::hashCode, Arrays::equals);
    private final SharedArrays<byte[]> images = new SharedArrays<>(Arrays::hashCode, Arrays::equals);

    /** A block's bits, held weakly, with the arrays that follow from them. */
    private static final class BlockArrays extends WeakTable.Entry<int[]> {
        final long[] code;
        final int[] offsets;

        BlockArrays(int[] raw, int hash, WeakTable<int[]> table, long[] code, int[] offsets) {
            super(raw, hash, table);
            this.code = code;
            this.offsets = offsets;
        }
    }

    /**
     * A block of the first {@code count} instructions decoded into the scratch arrays, with the arrays of blocks of
     * the same bits where some hart has them; the block keeps its own counters, links and region.
     */
    synchronized Block block(long[] code, int[] raw, int[] offsets, int count, int byteLength, boolean spansPages) {
        int hash = 1;
        for (int k = 0; k < count; k++) {
            hash = 31 * hash + raw[k];
        }
        BlockArrays found = (BlockArrays) blocks.find(hash,
                shared -> Arrays.equals(shared, 0, shared.length, raw, 0, count));
        // read again, and held from here on: the JVM may have cleared the entry since find saw its array
        int[] sharedRaw = found == null ? null : found.get();
        if (sharedRaw != null) {
            return new Block(found.code, sharedRaw, found.offsets, byteLength, spansPages);
        }
        int[] ownRaw = Arrays.copyOf(raw, count);
        BlockArrays arrays = new BlockArrays(ownRaw, hash, blocks, Arrays.copyOf(code, count),
                sharedOffsets.intern(Arrays.copyOf(offsets, count)));
        blocks.add(arrays);
        return new Block(arrays.code, ownRaw, arrays.offsets, byteLength, spansPages);
    }

    /** The image of a page of these bytes some hart has, or {@code image}; never to be written without a copy. */
    byte[] image(byte[] image) {
        return images.intern(image);
    }
}
