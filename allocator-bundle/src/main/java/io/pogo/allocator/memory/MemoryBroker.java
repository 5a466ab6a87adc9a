package io.pogo.allocator.memory;

import io.pogo.allocator.AbsentPolicyNotice;
import io.pogo.allocator.PolicySwitch;
import io.pogo.api.allocator.MemoryAllocator;
import io.pogo.api.allocator.MemoryBalloon;
import io.pogo.api.allocator.MemoryPolicy;
import io.pogo.api.allocator.PolicyKind;
import io.pogo.api.allocator.PolicySwap;
import io.pogo.api.allocator.SchedulingPolicy;
import io.pogo.api.memory.GuestMemory;
import java.lang.management.ManagementFactory;
import java.util.BitSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * Backs guest RAM through the selected {@link MemoryPolicy}, within a host-wide budget of three quarters of
 * physical memory, so that no VM can push the host into swapping or the OOM killer: a VM is refused when its size
 * exceeds what the budget has not yet promised (eager VMs promise all of theirs, on-demand VMs nothing). A VM keeps the policy that
 * backed it; a new selection applies to VMs created afterwards.
 */
@Component(service = {MemoryAllocator.class, PolicySwitch.class}, configurationPid = "io.pogo.allocator",
        configurationPolicy = ConfigurationPolicy.OPTIONAL, property = PolicySwitch.KIND + "=MEMORY")
public final class MemoryBroker implements MemoryAllocator, PolicySwitch {

    /** The configuration: the memory policy wanted. */
    @interface Config {
        String memory() default DEFAULT;
    }

    /**
     * Guest RAM is backed on first touch unless the user asks otherwise: most guests touch a fraction of their RAM,
     * and backing all of it up front costs start-up time and host memory the guest never uses.
     */
    static final String DEFAULT = OnDemandMemory.NAME;

    private final long budget = hostMemory() / 4 * 3;
    private final Map<String, MemoryPolicy> policies = new ConcurrentSkipListMap<>();
    private final Map<GuestMemory, MemoryPolicy> backedBy = new IdentityHashMap<>();
    private volatile String wanted = DEFAULT;
    private final AbsentPolicyNotice absent = new AbsentPolicyNotice("memory");

    @Reference
    private Balloons balloons;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindPolicy(MemoryPolicy policy, Map<String, Object> properties) {
        policies.put(String.valueOf(properties.get(SchedulingPolicy.NAME)), policy);
    }

    void unbindPolicy(MemoryPolicy policy, Map<String, Object> properties) {
        policies.remove(String.valueOf(properties.get(SchedulingPolicy.NAME)), policy);
    }

    @Activate
    @Modified
    void configure(Config config) {
        wanted = config.memory();
    }

    @Override
    public synchronized GuestMemory allocate(String vmName, long base, long size) {
        if (!policies.containsKey(wanted)) {
            absent.tell(wanted, DEFAULT);
        }
        MemoryPolicy policy = policies.getOrDefault(active(), policies.get(DEFAULT));
        if (policy == null) {
            throw new IllegalStateException("no memory policy is available");
        }
        long uncommitted = budget - backedBy.entrySet().stream()
                .mapToLong(backed -> backed.getValue().committedBytes(backed.getKey())).sum();
        if (size > uncommitted) {
            throw new IllegalArgumentException("--mem %dM for %s exceeds the host memory budget (%dM left)"
                    .formatted(size >> 20, vmName, uncommitted >> 20));
        }
        GuestMemory memory = policy.back(vmName, base, size);
        backedBy.put(memory, policy);
        return memory;
    }

    @Override
    public synchronized long residentBytes(GuestMemory memory) {
        MemoryPolicy policy = backedBy.get(memory);
        return policy == null ? 0 : policy.residentBytes(memory);
    }

    @Override
    public synchronized BitSet backedPages(GuestMemory memory) {
        MemoryPolicy policy = backedBy.get(memory);
        return policy == null ? new BitSet() : policy.backedPages(memory);
    }

    @Override
    public synchronized void release(GuestMemory memory) {
        MemoryPolicy policy = backedBy.remove(memory);
        if (policy != null) {
            policy.release(memory);
        }
    }

    @Override
    public void attach(String vmName, MemoryBalloon balloon) {
        balloons.attach(vmName, balloon);
    }

    @Override
    public void detach(String vmName, MemoryBalloon balloon) {
        balloons.detach(vmName, balloon);
    }

    @Override
    public Optional<MemoryBalloon> balloon(String vmName) {
        return balloons.balloon(vmName);
    }

    @Override
    public List<String> available() {
        return List.copyOf(policies.keySet());
    }

    /** The wanted policy while its service is there, otherwise the default. */
    @Override
    public String active() {
        return policies.containsKey(wanted) ? wanted : DEFAULT;
    }

    @Override
    public PolicySwap use(String name) {
        if (!policies.containsKey(name)) {
            throw new IllegalArgumentException("no memory policy '" + name + "' (available: "
                    + String.join(", ", policies.keySet()) + ")");
        }
        String from = active();
        wanted = name;
        return new PolicySwap(PolicyKind.MEMORY, from, name, 0);
    }

    private static long hostMemory() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getTotalMemorySize();
    }
}
