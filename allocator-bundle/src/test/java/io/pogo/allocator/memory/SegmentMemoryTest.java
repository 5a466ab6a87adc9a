package io.pogo.allocator.memory;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SegmentMemoryTest {

    private static final long BASE = 0x8000_0000L;
    private final SegmentMemory memory = SegmentMemory.allocated(BASE, 1 << 16);

    @Test
    void valuesAreLittleEndianAndZeroExtended() {
        memory.store(BASE + 8, 8, 0x8877_6655_4433_2211L);
        assertEquals(0x11, memory.load(BASE + 8, 1));
        assertEquals(0x2211, memory.load(BASE + 8, 2));
        assertEquals(0x4433_2211L, memory.load(BASE + 8, 4));
        assertEquals(0x88L, memory.load(BASE + 15, 1), "no sign extension");
        assertEquals(0x8877_6655_4433_2211L, memory.load(BASE + 8, 8));
        memory.store(BASE + 9, 4, 0xaabbccddL);
        assertEquals(0x8877_66aa_bbcc_dd11L, memory.load(BASE + 8, 8), "unaligned store");
    }

    @Test
    void dmaCopiesAndBoundsAreChecked() {
        memory.write(BASE + 100, new byte[] {1, 2, 3}, 0, 3);
        byte[] back = new byte[3];
        memory.read(BASE + 100, back, 0, 3);
        assertArrayEquals(new byte[] {1, 2, 3}, back);
        long end = BASE + (1 << 16);
        assertTrue(memory.contains(end - 8, 8));
        assertFalse(memory.contains(end - 7, 8));
        assertFalse(memory.contains(BASE - 1, 1));
        assertFalse(memory.contains(Long.MAX_VALUE, 8), "no overflow");
        assertThrows(IndexOutOfBoundsException.class, () -> memory.load(end - 4, 8));
        assertThrows(IndexOutOfBoundsException.class, () -> memory.write(end - 1, new byte[2], 0, 2));
        assertThrows(IndexOutOfBoundsException.class, () -> memory.read(BASE - 4, new byte[2], 0, 2));
        assertEquals(0, memory.load(end - 4, 4), "a rejected access touches nothing");
    }
}
