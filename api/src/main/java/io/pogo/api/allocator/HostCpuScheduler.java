package io.pogo.api.allocator;

import org.osgi.annotation.versioning.ProviderType;

/** The allocator's pool of host worker threads ("physical CPUs") that multiplexes every vCPU of every VM. */
@ProviderType
public interface HostCpuScheduler {

    /** Admits a vCPU; it becomes runnable at once. */
    ScheduledVcpu admit(String vmName, int hartId, VcpuTask task);

    /**
     * What the VM's vCPUs that are still admitted got so far; {@link SchedulingUsage#NONE} for a VM with none.
     *
     * @since 1.1
     */
    SchedulingUsage usage(String vmName);
}
