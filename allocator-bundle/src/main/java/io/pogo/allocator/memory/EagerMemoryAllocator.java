package io.pogo.allocator.memory;

import io.pogo.api.allocator.MemoryAllocator;
import io.pogo.api.memory.GuestMemory;
import java.lang.management.ManagementFactory;
import org.osgi.service.component.annotations.Component;

/**
 * Backs all of a VM's RAM when it is created, within a host-wide budget of three quarters of physical memory,
 * so that one VM's --mem cannot push the host into swapping or the OOM killer.
 */
@Component(service = MemoryAllocator.class)
public final class EagerMemoryAllocator implements MemoryAllocator {

    private final long budget = hostMemory() / 4 * 3;
    private long committed;

    @Override
    public synchronized GuestMemory allocate(String vmName, long base, long size) {
        if (size > budget - committed) {
            throw new IllegalArgumentException("--mem %dM for %s exceeds the host memory budget (%dM of %dM left)"
                    .formatted(size >> 20, vmName, (budget - committed) >> 20, budget >> 20));
        }
        SegmentMemory memory = new SegmentMemory(base, size);
        committed += size;
        return memory;
    }

    @Override
    public long residentBytes(GuestMemory memory) {
        return memory.size();
    }

    @Override
    public synchronized void release(GuestMemory memory) {
        ((SegmentMemory) memory).free();
        committed -= memory.size();
    }

    private static long hostMemory() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getTotalMemorySize();
    }
}
