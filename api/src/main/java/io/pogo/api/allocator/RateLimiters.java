package io.pogo.api.allocator;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The allocator's per-VM I/O rate limits, for devices: each VM has one limit per {@link LimitedResource}, shared by
 * all its devices of that kind and changed live with {@link AllocatorControl#limit}.
 *
 * @since 1.3
 */
@ProviderType
public interface RateLimiters {

    /** The gate a device of {@code vmName} asks; it follows every later change of the VM's limit. */
    RateGate gate(String vmName, LimitedResource resource);
}
