package io.pogo.api.allocator;

import io.pogo.api.memory.GuestMemory;
import java.util.BitSet;
import org.osgi.annotation.versioning.ProviderType;

/** Backs guest RAM with host memory. */
@ProviderType
public interface MemoryAllocator {

    /** @throws IllegalArgumentException when the size cannot be granted */
    GuestMemory allocate(String vmName, long base, long size);

    /** Host memory currently backing {@code memory}. */
    long residentBytes(GuestMemory memory);

    /**
     * The pages of {@code memory} (4 KiB each, bit {@code i} for the page at offset {@code i * 4096}) that host
     * memory backs: the ones the guest or a loader touched when RAM is backed on demand, all of them otherwise. An
     * untouched page reads as zero; reading it is what a snapshot avoids, since that would back it.
     *
     * @since 1.3
     */
    BitSet backedPages(GuestMemory memory);

    void release(GuestMemory memory);
}
