package io.pogo.allocator.memory;

import io.pogo.api.memory.DirtyPages;
import io.pogo.api.memory.GuestMemory;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Guest RAM in one off-heap segment, a slice of the process's {@link HostSpace}, shared by the VM's vCPU threads
 * and devices. RAM backed on demand carries a {@link ChunkMap}: the CPU raises a first-touch exit for chunks that
 * are not backed, and device writes back them through {@link FirstTouch} first.
 */
final class SegmentMemory implements GuestMemory {

    /** Backs the chunk holding a guest-physical address, or throws with the reason it cannot be backed. */
    @FunctionalInterface
    interface FirstTouch {
        void back(long address);
    }

    private static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private static final long PAGE = 4096;

    private final long base;
    private final MemorySegment segment;
    private final MemorySegment hostSpace;
    private final long hostOffset;
    private final Runnable free;
    private final PageBitmap dirtyPages;
    /** Null when every chunk is backed from the start. */
    private final ChunkMap chunks;
    private volatile FirstTouch firstTouch = address -> {
    };

    /** @param chunks which chunks are backed, for RAM backed on demand; null when all are */
    SegmentMemory(long base, HostSpace.Slice slice, ChunkMap chunks) {
        this.base = base;
        this.segment = slice.ram();
        this.hostSpace = slice.space();
        this.hostOffset = slice.offset();
        this.free = slice.arena()::close;
        this.dirtyPages = new PageBitmap(segment.byteSize());
        this.chunks = chunks;
    }

    /** Zeroed RAM, every page of it backed at once. */
    static SegmentMemory allocated(long base, long size) {
        HostSpace.Slice slice = HostSpace.PROCESS.carve(size);
        slice.ram().fill((byte) 0);
        return new SegmentMemory(base, slice, null);
    }

    @Override
    public long base() {
        return base;
    }

    @Override
    public long size() {
        return segment.byteSize();
    }

    @Override
    public boolean contains(long address, long length) {
        long offset = address - base;
        return length >= 0 && offset >= 0 && offset <= segment.byteSize() - length;
    }

    @Override
    public long load(long address, int size) {
        long offset = offset(address, size);
        return switch (size) {
            case 1 -> Byte.toUnsignedLong(segment.get(ValueLayout.JAVA_BYTE, offset));
            case 2 -> Short.toUnsignedLong(segment.get(SHORT, offset));
            case 4 -> Integer.toUnsignedLong(segment.get(INT, offset));
            case 8 -> segment.get(LONG, offset);
            default -> throw new IllegalArgumentException("access size " + size);
        };
    }

    @Override
    public void store(long address, int size, long value) {
        long offset = offset(address, size);
        backForWrite(offset, size);
        switch (size) {
            case 1 -> segment.set(ValueLayout.JAVA_BYTE, offset, (byte) value);
            case 2 -> segment.set(SHORT, offset, (short) value);
            case 4 -> segment.set(INT, offset, (int) value);
            case 8 -> segment.set(LONG, offset, value);
            default -> throw new IllegalArgumentException("access size " + size);
        }
        dirtyPages.mark(offset, size);
    }

    @Override
    public void read(long address, byte[] destination, int offset, int length) {
        MemorySegment.copy(segment, ValueLayout.JAVA_BYTE, offset(address, length), destination, offset, length);
    }

    @Override
    public void write(long address, byte[] source, int offset, int length) {
        long ramOffset = offset(address, length);
        backForWrite(ramOffset, length);
        MemorySegment.copy(source, offset, segment, ValueLayout.JAVA_BYTE, ramOffset, length);
        dirtyPages.mark(ramOffset, length);
    }

    /** Guest RAM is private anonymous host pages at page-aligned offsets: dropped, they are zero pages again. */
    @Override
    public void discard(long address, long length) {
        long offset = address - base;
        long size = segment.byteSize();
        if (length <= 0) {
            return;
        }
        long first = Math.ceilDiv(Math.max(offset, 0), PAGE) * PAGE;
        long end = (offset >= 0 && length > size - offset ? size : Math.min(size, offset + length)) / PAGE * PAGE;
        if (end > first) {
            HostPages.discard(segment.asSlice(first, end - first));
            // they read as zero now: a migration in progress sends them again
            dirtyPages.mark(first, end - first);
        }
    }

    /** Reads need no backing: a chunk never written reads as zeros, as the host's zero pages serve it. */
    private void backForWrite(long ramOffset, long length) {
        if (chunks == null || length == 0) {
            return;
        }
        for (long chunk = ramOffset & -ChunkMap.CHUNK; chunk < ramOffset + length; chunk += ChunkMap.CHUNK) {
            if (!chunks.isBacked(chunk)) {
                firstTouch.back(base + chunk);
            }
        }
    }

    @Override
    public boolean backed(long address) {
        return chunks == null || chunks.isBacked(address - base);
    }

    /** Null when every chunk is backed from the start. */
    ChunkMap chunks() {
        return chunks;
    }

    /** Who backs the chunks devices and image loading write to first. */
    void onFirstTouch(FirstTouch backing) {
        firstTouch = backing;
    }

    @Override
    public MemorySegment segment() {
        return segment;
    }

    @Override
    public MemorySegment hostSpace() {
        return hostSpace;
    }

    @Override
    public long hostOffset() {
        return hostOffset;
    }

    @Override
    public DirtyPages dirtyPages() {
        return dirtyPages;
    }

    void free() {
        free.run();
    }

    private long offset(long address, long length) {
        if (!contains(address, length)) {
            throw new IndexOutOfBoundsException("guest-physical [0x%x, +%d) is outside RAM [0x%x, 0x%x)"
                    .formatted(address, length, base, base + segment.byteSize()));
        }
        return address - base;
    }
}
