package io.pogo.api.memory;

import java.lang.foreign.MemorySegment;
import org.osgi.annotation.versioning.ProviderType;

/**
 * One bank of guest RAM at a guest-physical base address. Every access is bounds-checked: an access that does
 * not lie entirely inside the bank throws {@link IndexOutOfBoundsException} and touches nothing.
 * Multi-byte values are little-endian.
 */
@ProviderType
public interface GuestMemory {

    long base();

    long size();

    /** Whether {@code [address, address + length)} lies inside this bank. */
    boolean contains(long address, long length);

    /** Loads {@code size} (1, 2, 4 or 8) bytes, zero-extended. */
    long load(long address, int size);

    void store(long address, int size, long value);

    /** Copies guest bytes out (device DMA). */
    void read(long address, byte[] destination, int offset, int length);

    /** Copies bytes into the guest (device DMA, image loading). */
    void write(long address, byte[] source, int offset, int length);

    /**
     * Gives the host memory behind every whole 4 KiB page of {@code [address, address + length)} back to the
     * host (a balloon's inflated or reported pages); such a page reads as zero when next touched. The parts of the
     * range that are not whole pages inside this bank are left alone, so a guest cannot make this fail.
     *
     * @since 1.1
     */
    void discard(long address, long length);

    /** The whole bank; offset 0 is {@link #base()}. For the CPU's fast path, which records its writes in
     *  {@link #dirtyPages()} itself. */
    MemorySegment segment();

    /**
     * The host segment that {@link #segment()} is a slice of, at {@link #hostOffset()}: one for all banks the
     * allocator carves from the same host reservation, so that code the CPU translates with this segment as a
     * constant serves every VM of the process alike. Only the CPU's TLB fill turns guest addresses into offsets in
     * it, and only into this bank's slice, which keeps VMs apart.
     *
     * @since 1.2
     */
    default MemorySegment hostSpace() {
        return segment();
    }

    /**
     * Where this bank's RAM, guest-physical {@link #base()}, starts in {@link #hostSpace()}.
     *
     * @since 1.2
     */
    default long hostOffset() {
        return 0;
    }

    /** The writes to this bank, for live migration; {@link #store} and {@link #write} record theirs. */
    DirtyPages dirtyPages();

    /**
     * Whether host memory backs the chunk that holds {@code address}. RAM backed on demand is backed a chunk at a
     * time, as the allocator decides; the CPU asks on its TLB-miss path only and raises
     * {@link io.pogo.api.cpu.ExitKind#UNBACKED_MEMORY} for a chunk that is not. Device DMA through
     * {@link #store} and {@link #write} backs chunks itself.
     *
     * @since 1.1
     */
    default boolean backed(long address) {
        return true;
    }
}
