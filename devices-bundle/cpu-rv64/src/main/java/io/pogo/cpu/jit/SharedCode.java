package io.pogo.cpu.jit;

import java.util.Arrays;

/**
 * What the code caches of every hart of the process share when their guests run the same code: the arrays of
 * blocks decoded from the same bits, and the images of code pages of the same bytes. VMs of one kernel idle on the
 * same thousand or so blocks over the same few dozen pages, and each VM kept copies of its own of their arrays and
 * images: most of an idle VM's heap. Both are shared only while nothing writes them: a block's arrays never change
 * once decoded (its instructions and their offsets follow from its bits alone, pc-relative immediates being
 * rebased to the block's start), and a code page copies a shared image before it writes to it.
 */
public final class SharedCode {
    private final SharedArrays<long[]> longs = new SharedArrays<>(Arrays::hashCode, Arrays::equals);
    private final SharedArrays<int[]> ints = new SharedArrays<>(Arrays::hashCode, Arrays::equals);
    private final SharedArrays<byte[]> images = new SharedArrays<>(Arrays::hashCode, Arrays::equals);

    /**
     * A block of the first {@code count} instructions decoded into the scratch arrays, with the arrays of blocks of
     * the same content where some hart has them; the block keeps its own counters, links and region.
     */
    Block block(long[] code, int[] raw, int[] offsets, int count, int byteLength, boolean spansPages) {
        return new Block(longs.intern(Arrays.copyOf(code, count)), ints.intern(Arrays.copyOf(raw, count)),
                ints.intern(Arrays.copyOf(offsets, count)), byteLength, spansPages);
    }

    /** The image of a page of these bytes some hart has, or {@code image}; never to be written without a copy. */
    byte[] image(byte[] image) {
        return images.intern(image);
    }
}
