package io.pogo.api.allocator;

import org.osgi.annotation.versioning.ProviderType;

/** The allocator's pool of host worker threads ("physical CPUs") that multiplexes every vCPU of every VM. */
@ProviderType
public interface HostCpuScheduler {

    /** Admits a vCPU; it becomes runnable at once. */
    ScheduledVcpu admit(String vmName, int hartId, VcpuTask task);
}
