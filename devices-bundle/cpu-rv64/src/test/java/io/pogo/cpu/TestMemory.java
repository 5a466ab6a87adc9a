package io.pogo.cpu;

import io.pogo.allocator.memory.PageBitmap;
import io.pogo.api.memory.DirtyPages;
import io.pogo.api.memory.GuestMemory;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/** Guest RAM for tests: one shared off-heap segment, or a slice of a host space several VMs' RAM is carved from. */
final class TestMemory implements GuestMemory {
    private final long base;
    private final MemorySegment hostSpace;
    private final long hostOffset;
    private final MemorySegment segment;
    private final PageBitmap dirtyPages;

    TestMemory(long base, long size) {
        this(base, Arena.ofShared().allocate(size, 4096), 0, size);
    }

    TestMemory(long base, MemorySegment hostSpace, long hostOffset, long size) {
        this.base = base;
        this.hostSpace = hostSpace;
        this.hostOffset = hostOffset;
        this.segment = hostSpace.asSlice(hostOffset, size);
        this.dirtyPages = new PageBitmap(size);
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
        return address >= base && length >= 0 && address - base + length <= size();
    }

    @Override
    public long load(long address, int size) {
        check(address, size);
        long value = 0;
        for (int i = size - 1; i >= 0; i--) {
            value = value << 8 | segment.get(ValueLayout.JAVA_BYTE, address - base + i) & 0xFF;
        }
        return value;
    }

    @Override
    public void store(long address, int size, long value) {
        check(address, size);
        for (int i = 0; i < size; i++) {
            segment.set(ValueLayout.JAVA_BYTE, address - base + i, (byte) (value >>> (8 * i)));
        }
        dirtyPages.mark(address - base, size);
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
        dirtyPages.mark(address - base, length);
    }

    @Override
    public void discard(long address, long length) {
        throw new AssertionError("the CPU never discards guest memory");
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

    void storeInts(long address, int... words) {
        for (int i = 0; i < words.length; i++) {
            segment.set(ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), address - base + 4L * i,
                    words[i]);
        }
    }

    private void check(long address, long length) {
        if (!contains(address, length)) {
            throw new IndexOutOfBoundsException("guest address 0x" + Long.toHexString(address));
        }
    }
}
