package io.pogo.api.allocator;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The rate limit a device asks before it serves one request of a VM. Safe to use from any thread.
 *
 * @since 1.3
 */
@ProviderType
public interface RateGate {

    /**
     * Takes the tokens one operation of {@code bytes} needs and returns 0, or, when the buckets do not hold them
     * yet, takes nothing and returns the nanoseconds until they will (the device tries again then).
     */
    long take(long bytes);
}
