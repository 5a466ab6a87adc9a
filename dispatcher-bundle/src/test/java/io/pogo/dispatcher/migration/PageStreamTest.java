package io.pogo.dispatcher.migration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

/** Pages on the wire: a receiver's RAM ends up byte for byte as the sender's, sending only what it must. */
class PageStreamTest {

    private static final int PAGES = 64;

    @Test
    void touchedPagesAloneCrossAndTheCopyEqualsTheOriginal() throws IOException {
        MemorySegment source = ram();
        source.set(ValueLayout.JAVA_LONG, 3L * PageStream.PAGE + 8, 0x1122_3344_5566_7788L);
        source.set(ValueLayout.JAVA_BYTE, 40L * PageStream.PAGE + 4095, (byte) 0x7f);
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        long sent = PageStream.sendTouched(new DataOutputStream(wire), source);
        assertEquals(2 * (5 + PageStream.PAGE), sent, "two touched pages, the other 62 are all zero");

        MemorySegment target = ram();
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(wire.toByteArray()));
        assertEquals(MigrationWire.PAGES, in.readUnsignedByte());
        assertEquals(2, PageStream.receive(in, target));
        assertEquals(-1, source.mismatch(target));
    }

    @Test
    void aDirtiedPageThatBecameZeroIsZeroedAtTheReceiver() throws IOException {
        MemorySegment source = ram();
        MemorySegment target = ram();
        target.asSlice(5L * PageStream.PAGE, PageStream.PAGE).fill((byte) 0x55);
        source.set(ValueLayout.JAVA_INT, 9L * PageStream.PAGE, 42);
        long[] dirty = new long[1];
        dirty[0] = 1L << 5 | 1L << 9;
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        long sent = PageStream.sendPages(new DataOutputStream(wire), source, dirty);
        assertEquals(5 + (5 + PageStream.PAGE), sent, "page 5 goes as a zero page, page 9 whole");

        DataInputStream in = new DataInputStream(new ByteArrayInputStream(wire.toByteArray()));
        assertEquals(MigrationWire.PAGES, in.readUnsignedByte());
        assertEquals(2, PageStream.receive(in, target));
        assertEquals(-1, source.mismatch(target));
    }

    @Test
    void aPageOutsideTheVmIsRefused() throws IOException {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(wire);
        out.writeInt(PAGES);
        out.writeByte(MigrationWire.ZERO_PAGE);
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(wire.toByteArray()));
        IOException refused = assertThrows(IOException.class, () -> PageStream.receive(in, ram()));
        assertEquals("page 64 lies outside the VM's 64 pages", refused.getMessage());
    }

    private static MemorySegment ram() {
        return Arena.ofAuto().allocate((long) PAGES * PageStream.PAGE, PageStream.PAGE);
    }
}
