package io.pogo.api.allocator;

import io.pogo.api.memory.GuestMemory;
import java.util.BitSet;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Decides how a VM's RAM is backed by host memory. Registered with the property {@link SchedulingPolicy#NAME};
 * the selected policy backs VMs created from then on.
 */
@ConsumerType
public interface MemoryPolicy {

    /**
     * Backs {@code size} bytes of RAM at guest-physical {@code base}; the allocator has checked the host budget.
     *
     * @throws IllegalArgumentException when the host refuses the memory
     */
    GuestMemory back(String vmName, long base, long size);

    /** Host memory currently backing {@code memory}. */
    long residentBytes(GuestMemory memory);

    /** Host memory promised to {@code memory} up front: all of it when backed eagerly, none when on demand. */
    long committedBytes(GuestMemory memory);

    /**
     * The 4 KiB pages of {@code memory} that host memory backs, as {@link MemoryAllocator#backedPages} describes;
     * by default every page, as for RAM backed up front.
     *
     * @since 1.3
     */
    default BitSet backedPages(GuestMemory memory) {
        BitSet all = new BitSet();
        all.set(0, (int) Math.ceilDiv(memory.size(), 4096));
        return all;
    }

    void release(GuestMemory memory);

    /**
     * The guest touches memory the host has not backed yet: {@code bytes} more for VM {@code vmName}, which stays
     * within its cap. Returns whether to back it now; false pauses the VM until memory is freed or its cap is
     * raised. {@code budgetLeft} is what the host budget has not backed or promised yet; a policy that can reclaim
     * memory from other VMs may do so here. By default memory is backed while the budget lasts.
     *
     * @since 1.3
     */
    default boolean backOnTouch(String vmName, long bytes, long budgetLeft) {
        return bytes <= budgetLeft;
    }
}
