package io.pogo.allocator;

import io.pogo.allocator.memory.MemoryBroker;
import io.pogo.api.allocator.AllocatorControl;
import io.pogo.allocator.limit.RateLimitSyntax;
import io.pogo.allocator.limit.RateLimiterService;
import io.pogo.allocator.memory.Balloons;
import io.pogo.api.allocator.HostCpuScheduler;
import io.pogo.api.allocator.LimitedResource;
import io.pogo.api.allocator.PolicyKind;
import io.pogo.api.allocator.PolicySwap;
import io.pogo.api.allocator.RateLimit;
import io.pogo.api.allocator.SchedulingUsage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Dictionary;
import java.util.EnumMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/** The allocator's knobs: selections swap at once and are written to ConfigAdmin, so they survive restarts. */
@Component
public final class AllocatorControlService implements AllocatorControl {

    static final String PID = "io.pogo.allocator";
    private static final int MAX_WEIGHT = 10_000;

    private final Map<PolicyKind, PolicySwitch> switches = new EnumMap<>(PolicyKind.class);

    @Reference
    private ConfigurationAdmin configurations;
    @Reference
    private ShareTable shares;
    @Reference
    private HostCpuScheduler scheduler;
    @Reference
    private Balloons balloons;
    @Reference
    private RateLimiterService limits;
    @Reference
    private MemoryBroker memory;

    @Reference(cardinality = ReferenceCardinality.AT_LEAST_ONE, policy = ReferencePolicy.DYNAMIC)
    synchronized void bindSwitch(PolicySwitch policySwitch, Map<String, Object> properties) {
        switches.put(PolicyKind.valueOf(String.valueOf(properties.get(PolicySwitch.KIND))), policySwitch);
    }

    synchronized void unbindSwitch(PolicySwitch policySwitch, Map<String, Object> properties) {
        switches.remove(PolicyKind.valueOf(String.valueOf(properties.get(PolicySwitch.KIND))), policySwitch);
    }

    @Override
    public List<String> available(PolicyKind kind) {
        return policySwitch(kind).available();
    }

    @Override
    public String active(PolicyKind kind) {
        return policySwitch(kind).active();
    }

    @Override
    public PolicySwap use(PolicyKind kind, String name) {
        PolicySwap swap = policySwitch(kind).use(name);
        remember(kind, name);
        return swap;
    }

    @Override
    public void weight(String vmName, int weight) {
        if (weight < 1 || weight > MAX_WEIGHT) {
            throw new IllegalArgumentException("weight " + weight + ": between 1 and " + MAX_WEIGHT);
        }
        shares.setWeight(vmName, weight);
    }

    @Override
    public void cap(String vmName, int percent) {
        int most = 100 * Runtime.getRuntime().availableProcessors();
        if (percent < 0 || percent > most) {
            throw new IllegalArgumentException("cap " + percent + "%: between 0 (no cap) and " + most);
        }
        shares.setCap(vmName, percent);
    }

    @Override
    public SchedulingUsage usage(String vmName) {
        return scheduler.usage(vmName);
    }

    @Override
    public void memoryTarget(String vmName, long bytes) {
        balloons.keep(vmName, bytes);
    }

    @Override
    public void limit(String vmName, LimitedResource resource, RateLimit limit) {
        limits.set(vmName, resource, limit);
    }

    @Override
    public void limit(String vmName, LimitedResource resource, String words) {
        limits.set(vmName, resource, RateLimitSyntax.parse(words));
    }

    @Override
    public RateLimit limit(String vmName, LimitedResource resource) {
        return limits.limit(vmName, resource);
    }

    @Override
    public void memoryCap(String vmName, long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("memory cap " + bytes + ": 0 (no cap) or more");
        }
        memory.setMemoryCap(vmName, bytes);
    }

    @Override
    public long memoryCap(String vmName) {
        return memory.memoryCap(vmName);
    }

    private synchronized PolicySwitch policySwitch(PolicyKind kind) {
        PolicySwitch policySwitch = switches.get(kind);
        if (policySwitch == null) {
            throw new IllegalStateException("the " + kind.word() + " allocator is not running");
        }
        return policySwitch;
    }

    private void remember(PolicyKind kind, String name) {
        try {
            Configuration configuration = configurations.getConfiguration(PID, "?");
            Dictionary<String, Object> properties = configuration.getProperties() == null ? new Hashtable<>()
                    : configuration.getProperties();
            properties.put(kind.word(), name);
            configuration.update(properties);
        } catch (IOException e) {
            throw new UncheckedIOException("saving the allocator configuration", e);
        }
    }
}
