package io.pogo.api.allocator;

import org.osgi.annotation.versioning.ProviderType;

/** A vCPU as scheduling policies see it, with its VM's share of the host. */
@ProviderType
public interface SchedulableVcpu {

    String vmName();

    int hartId();

    /** The VM's relative weight ({@code alloc:weight}), 1 by default. */
    int weight();

    /** The most of one host CPU the VM may use, in percent ({@code alloc:cap}); 0 means no cap. */
    int capPercent();
}
