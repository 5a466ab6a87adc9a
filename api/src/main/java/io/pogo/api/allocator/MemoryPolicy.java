package io.pogo.api.allocator;

import io.pogo.api.memory.GuestMemory;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Decides how a VM's RAM is backed by host memory. Registered with the property {@link SchedulingPolicy#NAME};
 * the selected policy backs VMs created from then on.
 */
@ConsumerType
public interface MemoryPolicy {

    /**
     * @param uncommitted host memory not yet promised to any VM (the host-wide budget less every VM's commitment)
     * @throws IllegalArgumentException when the VM cannot be given that much memory
     */
    GuestMemory back(String vmName, long base, long size, long uncommitted);

    /** Host memory currently backing {@code memory}. */
    long residentBytes(GuestMemory memory);

    /** Host memory promised to {@code memory} up front: all of it when backed eagerly, none when on demand. */
    long committedBytes(GuestMemory memory);

    void release(GuestMemory memory);
}
