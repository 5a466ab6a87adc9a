package io.pogo.cpu.jit;

import io.pogo.cpu.decode.Decoder;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

/** Blocks and page images of the same content, from any VM, share their arrays; those of other content do not. */
class SharedCodeTest {
    private static final int ADDI = 0x0015_0513;
    private static final int C_ADDI = 0x0505;
    private static final int JALR = 0x0000_8067;

    private final SharedCode shared = new SharedCode();

    /** A block decoded into scratch arrays longer than the block, as a code cache decodes one. */
    private Block decode(int... raws) {
        long[] code = new long[8];
        int[] raw = new int[8];
        int[] offsets = new int[8];
        int position = 0;
        for (int k = 0; k < raws.length; k++) {
            code[k] = Decoder.decode(raws[k]);
            raw[k] = raws[k];
            offsets[k] = position;
            position += (raws[k] & 3) == 3 ? 4 : 2;
        }
        return shared.block(code, raw, offsets, raws.length, position, false);
    }

    @Test
    void blocksOfTheSameBitsShareTheirArrays() {
        Block first = decode(ADDI, JALR);
        Block second = decode(ADDI, JALR);

        assertNotSame(first, second, "each block keeps its own counters and links");
        assertSame(first.code, second.code);
        assertSame(first.raw, second.raw);
        assertSame(first.offsets, second.offsets);
        assertArrayEquals(new int[] {ADDI, JALR}, second.raw);
        assertArrayEquals(new int[] {0, 4}, second.offsets);
        assertEquals(8, second.byteLength);
    }

    @Test
    void blocksOfOtherBitsHaveTheirOwnArrays() {
        Block block = decode(ADDI, JALR);
        Block prefix = decode(ADDI);
        Block compressed = decode(C_ADDI, JALR);

        assertNotSame(block.raw, prefix.raw);
        assertNotSame(block.code, prefix.code);
        assertNotSame(block.raw, compressed.raw);
        assertArrayEquals(new int[] {0, 2}, compressed.offsets);
    }

    @Test
    void blocksOfOtherBitsOfTheSameLengthsShareTheirOffsets() {
        Block block = decode(ADDI, JALR);
        Block other = decode(JALR, ADDI);

        assertNotSame(block.raw, other.raw);
        assertSame(block.offsets, other.offsets);
    }

    @Test
    void pageImagesOfTheSameBytesAreShared() {
        byte[] image = new byte[0x1000];
        image[10] = 1;
        byte[] same = image.clone();
        byte[] other = image.clone();
        other[4095] = 2;

        assertSame(image, shared.image(image));
        assertSame(image, shared.image(same));
        assertSame(other, shared.image(other));
    }
}
