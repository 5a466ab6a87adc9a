package io.pogo.allocator.limit;

import io.pogo.api.allocator.LimitedResource;
import io.pogo.api.allocator.RateGate;
import io.pogo.api.allocator.RateLimit;
import io.pogo.api.allocator.RateLimiters;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.osgi.service.component.annotations.Component;

/** Every VM's disk and network limits; devices hold the gates, {@code alloc:limit} changes what they let through. */
@Component(service = {RateLimiters.class, RateLimiterService.class})
public final class RateLimiterService implements RateLimiters {

    /**
     * The gates by VM, then by resource. Not by a record of the two: a record's first hashCode links its call site
     * through method handles and spins classes for them, some 3-5 ms of CPU in the creation of every `pogo run`'s VM.
     */
    private final Map<String, Map<LimitedResource, LimitedGate>> gates = new ConcurrentHashMap<>();

    @Override
    public RateGate gate(String vmName, LimitedResource resource) {
        return gateOf(vmName, resource);
    }

    public void set(String vmName, LimitedResource resource, RateLimit limit) {
        if (limit.bytesPerSecond() < 0 || limit.bytesBurst() < 0 || limit.opsPerSecond() < 0 || limit.opsBurst() < 0) {
            throw new IllegalArgumentException("a rate limit's rates and bursts are 0 or more");
        }
        gateOf(vmName, resource).set(limit);
    }

    public RateLimit limit(String vmName, LimitedResource resource) {
        LimitedGate gate = gates.getOrDefault(vmName, Map.of()).get(resource);
        return gate == null ? RateLimit.UNLIMITED : gate.limit();
    }

    private LimitedGate gateOf(String vmName, LimitedResource resource) {
        return gates.computeIfAbsent(vmName, name -> new ConcurrentHashMap<>())
                .computeIfAbsent(resource, key -> new LimitedGate(System::nanoTime));
    }
}
