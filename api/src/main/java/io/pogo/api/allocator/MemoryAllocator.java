package io.pogo.api.allocator;

import io.pogo.api.memory.GuestMemory;
import org.osgi.annotation.versioning.ProviderType;

/** Backs guest RAM with host memory. */
@ProviderType
public interface MemoryAllocator {

    /** @throws IllegalArgumentException when the size cannot be granted */
    GuestMemory allocate(String vmName, long base, long size);

    /** Host memory currently backing {@code memory}. */
    long residentBytes(GuestMemory memory);

    void release(GuestMemory memory);
}
