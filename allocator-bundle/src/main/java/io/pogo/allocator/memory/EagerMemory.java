package io.pogo.allocator.memory;

import io.pogo.api.allocator.MemoryPolicy;
import io.pogo.api.allocator.SchedulingPolicy;
import io.pogo.api.memory.GuestMemory;
import org.osgi.service.component.annotations.Component;

/** All of a VM's RAM is backed when it is created, and counts against the host budget from then on. */
@Component(property = SchedulingPolicy.NAME + "=" + EagerMemory.NAME)
public final class EagerMemory implements MemoryPolicy {

    public static final String NAME = "eager";

    @Override
    public GuestMemory back(String vmName, long base, long size) {
        return SegmentMemory.allocated(base, size);
    }

    @Override
    public long residentBytes(GuestMemory memory) {
        return memory.size();
    }

    @Override
    public long committedBytes(GuestMemory memory) {
        return memory.size();
    }

    @Override
    public void release(GuestMemory memory) {
        ((SegmentMemory) memory).free();
    }
}
