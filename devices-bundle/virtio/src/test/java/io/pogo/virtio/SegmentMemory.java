package io.pogo.virtio;

import io.pogo.api.memory.DirtyPages;
import io.pogo.api.memory.GuestMemory;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** Guest RAM for tests: one off-heap segment, bounds-checked as the API requires. */
public final class SegmentMemory implements GuestMemory {

    private static final long PAGE = 4096;

    /** These tests never migrate: nothing is tracked, and starting to is a test bug. */
    private static final DirtyPages UNTRACKED = new DirtyPages() {
        public boolean tracking() {
            return false;
        }

        public void start() {
            throw new UnsupportedOperationException("test RAM does not track dirty pages");
        }

        public void stop() {
        }

        public void mark(long offset, long length) {
        }

        public boolean isDirty(long offset) {
            return false;
        }

        public long[] take() {
            return new long[0];
        }
    };

    private final long base;
    private final MemorySegment segment;
    private long discarded;

    public SegmentMemory(long base, long size) {
        this.base = base;
        this.segment = Arena.ofAuto().allocate(size, 4096);
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
        check(address, size);
        long value = 0;
        for (int i = size - 1; i >= 0; i--) {
            value = value << 8 | segment.get(ValueLayout.JAVA_BYTE, address - base + i) & 0xff;
        }
        return value;
    }

    @Override
    public void store(long address, int size, long value) {
        check(address, size);
        for (int i = 0; i < size; i++) {
            segment.set(ValueLayout.JAVA_BYTE, address - base + i, (byte) (value >>> (8 * i)));
        }
    }

    @Override
    public void read(long address, byte[] destination, int offset, int length) {
        check(address, length);
        MemorySegment.copy(segment, ValueLayout.JAVA_BYTE, address - base, destination, offset, length);
    }

    @Override
    public void write(long address, byte[] source, int offset, int length) {
        check(address, length);
        MemorySegment.copy(source, offset, segment, ValueLayout.JAVA_BYTE, address - base, length);
    }

    /** As the host does after madvise(MADV_DONTNEED): whole pages inside RAM read as zero, the rest is left. */
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
            segment.asSlice(first, end - first).fill((byte) 0);
            discarded += end - first;
        }
    }

    /** Bytes given back through {@link #discard} so far. */
    public long discardedBytes() {
        return discarded;
    }

    @Override
    public MemorySegment segment() {
        return segment;
    }

    @Override
    public DirtyPages dirtyPages() {
        return UNTRACKED;
    }

    private void check(long address, long length) {
        if (!contains(address, length)) {
            throw new IndexOutOfBoundsException("0x%x+%d".formatted(address, length));
        }
    }
}
