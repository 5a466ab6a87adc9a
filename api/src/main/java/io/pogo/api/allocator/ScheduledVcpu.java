package io.pogo.api.allocator;

import org.osgi.annotation.versioning.ProviderType;

/** The scheduler's handle on an admitted vCPU. */
@ProviderType
public interface ScheduledVcpu {

    /** Makes an IDLE or PARKED task runnable; harmless when it already is. */
    void wake();

    /** Removes the task; returns once it is no longer running on any host CPU. */
    void withdraw();
}
