package io.pogo.dispatcher.migration;

import io.pogo.api.memory.DirtyPages;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Guest pages on the wire ({@link MigrationWire}): the sender sends the pages a bitmap names, or every page that
 * is not all zero; the receiver writes them into the new VM's RAM, which starts all zero.
 */
final class PageStream {

    static final int PAGE = DirtyPages.PAGE_SIZE;
    private static final MemorySegment ZERO = MemorySegment.ofArray(new byte[PAGE]);

    private PageStream() {
    }

    /** Every page of {@code ram} that is not all zero (pages never touched read as zero); returns bytes sent. */
    static long sendTouched(DataOutputStream out, MemorySegment ram) throws IOException {
        byte[] buffer = new byte[PAGE];
        long sent = 0;
        out.writeByte(MigrationWire.PAGES);
        long pages = ram.byteSize() / PAGE;
        for (long page = 0; page < pages; page++) {
            if (!isZero(ram, page)) {
                sent += sendData(out, ram, page, buffer);
            }
        }
        out.writeInt(MigrationWire.END_OF_PAGES);
        return sent;
    }

    /** The pages set in {@code bitmap} ({@link DirtyPages#take}'s layout); returns bytes sent. */
    static long sendPages(DataOutputStream out, MemorySegment ram, long[] bitmap) throws IOException {
        byte[] buffer = new byte[PAGE];
        long sent = 0;
        out.writeByte(MigrationWire.PAGES);
        for (int word = 0; word < bitmap.length; word++) {
            for (long bits = bitmap[word]; bits != 0; bits &= bits - 1) {
                long page = (long) word * 64 + Long.numberOfTrailingZeros(bits);
                if (isZero(ram, page)) {
                    out.writeInt((int) page);
                    out.writeByte(MigrationWire.ZERO_PAGE);
                    sent += 5;
                } else {
                    sent += sendData(out, ram, page, buffer);
                }
            }
        }
        out.writeInt(MigrationWire.END_OF_PAGES);
        return sent;
    }

    static int count(long[] bitmap) {
        int pages = 0;
        for (long word : bitmap) {
            pages += Long.bitCount(word);
        }
        return pages;
    }

    /** Reads one PAGES message's pages (its tag already read) into {@code ram}; returns the pages written. */
    static long receive(DataInputStream in, MemorySegment ram) throws IOException {
        byte[] buffer = new byte[PAGE];
        long pages = ram.byteSize() / PAGE;
        long received = 0;
        for (int page = in.readInt(); page != MigrationWire.END_OF_PAGES; page = in.readInt()) {
            if (page < 0 || page >= pages) {
                throw new IOException("page " + page + " lies outside the VM's " + pages + " pages");
            }
            switch (in.readUnsignedByte()) {
                case MigrationWire.ZERO_PAGE -> ram.asSlice((long) page * PAGE, PAGE).fill((byte) 0);
                case MigrationWire.DATA_PAGE -> {
                    in.readFully(buffer);
                    MemorySegment.copy(buffer, 0, ram, ValueLayout.JAVA_BYTE, (long) page * PAGE, PAGE);
                }
                default -> throw new IOException("page " + page + " is of an unknown kind");
            }
            received++;
        }
        return received;
    }

    private static boolean isZero(MemorySegment ram, long page) {
        long offset = page * PAGE;
        return MemorySegment.mismatch(ram, offset, offset + PAGE, ZERO, 0, PAGE) < 0;
    }

    private static int sendData(DataOutputStream out, MemorySegment ram, long page, byte[] buffer)
            throws IOException {
        MemorySegment.copy(ram, ValueLayout.JAVA_BYTE, page * PAGE, buffer, 0, PAGE);
        out.writeInt((int) page);
        out.writeByte(MigrationWire.DATA_PAGE);
        out.write(buffer);
        return 5 + PAGE;
    }
}
