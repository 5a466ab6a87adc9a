package io.pogo.api.allocator;

import io.pogo.api.memory.GuestMemory;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/** Backs guest RAM with host memory. */
@ProviderType
public interface MemoryAllocator {

    /** @throws IllegalArgumentException when the size cannot be granted */
    GuestMemory allocate(String vmName, long base, long size);

    /** Host memory currently backing {@code memory}. */
    long residentBytes(GuestMemory memory);

    void release(GuestMemory memory);

    /**
     * A balloon device of {@code vmName} came up: the allocator may now reclaim that VM's memory through it.
     *
     * @since 1.3
     */
    void attach(String vmName, MemoryBalloon balloon);

    /** @since 1.3 */
    void detach(String vmName, MemoryBalloon balloon);

    /**
     * The VM's balloon, while it has one.
     *
     * @since 1.3
     */
    Optional<MemoryBalloon> balloon(String vmName);
}
