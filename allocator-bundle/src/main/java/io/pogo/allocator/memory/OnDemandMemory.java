package io.pogo.allocator.memory;

import io.pogo.api.allocator.MemoryPolicy;
import io.pogo.api.allocator.SchedulingPolicy;
import io.pogo.api.memory.GuestMemory;
import java.util.BitSet;
import org.osgi.service.component.annotations.Component;

/**
 * A VM's RAM is reserved, not backed: the allocator backs it a chunk at a time when the guest first touches it,
 * within the VM's memory cap and the host budget, so a VM uses what its guest touches. Nothing is committed up
 * front, so on-demand VMs may together be promised more than the host has (overcommit).
 */
@Component(property = SchedulingPolicy.NAME + "=" + OnDemandMemory.NAME)
public final class OnDemandMemory implements MemoryPolicy {

    public static final String NAME = "on-demand";

    @Override
    public GuestMemory back(String vmName, long base, long size) {
        return new SegmentMemory(base, HostSpace.PROCESS.carve(size), new ChunkMap(size));
    }

    @Override
    public long residentBytes(GuestMemory memory) {
        return HostPages.resident(memory.segment());
    }

    @Override
    public BitSet backedPages(GuestMemory memory) {
        return HostPages.backed(memory.segment());
    }

    @Override
    public long committedBytes(GuestMemory memory) {
        return 0;
    }

    @Override
    public void release(GuestMemory memory) {
        ((SegmentMemory) memory).free();
    }
}
