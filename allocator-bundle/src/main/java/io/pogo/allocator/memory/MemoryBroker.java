package io.pogo.allocator.memory;

import io.pogo.allocator.AbsentPolicyNotice;
import io.pogo.allocator.PolicySwitch;
import io.pogo.api.allocator.MemoryAllocator;
import io.pogo.api.allocator.MemoryBalloon;
import io.pogo.api.allocator.MemoryPolicy;
import io.pogo.api.allocator.PolicyKind;
import io.pogo.api.allocator.PolicySwap;
import io.pogo.api.allocator.SchedulingPolicy;
import io.pogo.api.dispatch.VmContext;
import io.pogo.api.memory.GuestMemory;
import java.lang.management.ManagementFactory;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
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
 *
 * <p>RAM backed on demand is backed a chunk at a time on first touch (a vCPU's exit, or a device's write): within
 * the VM's memory cap ({@code alloc:memcap}) and, as the policy decides, the budget. A vCPU that is refused pauses
 * its VM with the reason; raising the cap, or memory coming free, lets it run on.
 */
@Component(service = {MemoryAllocator.class, PolicySwitch.class, MemoryBroker.class},
        configurationPid = "io.pogo.allocator",
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
    /** A VM's RAM and the policy that backed it. */
    private record Backing(String vmName, MemoryPolicy policy) {
    }

    private final Map<GuestMemory, Backing> backedBy = new ConcurrentHashMap<>();
    /**
     * Keeps a VM's RAM from being released while its residency is counted. Not the broker's lock: a VM's info asks
     * for resident memory while the VM's own lock is held, and the broker holds its lock while it pauses a VM.
     */
    private final Object residency = new Object();
    /** Memory caps in bytes, by VM name; no entry means no cap. */
    private final Map<String, Long> caps = new ConcurrentHashMap<>();
    /** VMs paused because a first touch was refused, to let run on when memory may be had again. */
    private final Map<String, VmContext> waiting = new HashMap<>();
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

    /** Also links the host's memory calls ahead of the first VM's creation ({@link HostSpace#prepareAhead}). */
    @Activate
    void activate(Config config) {
        configure(config);
        HostSpace.prepareAhead();
    }

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
                .mapToLong(backed -> backed.getValue().policy().committedBytes(backed.getKey())).sum();
        if (size > uncommitted) {
            throw new IllegalArgumentException("--mem %dM for %s exceeds the host memory budget (%dM left)"
                    .formatted(size >> 20, vmName, uncommitted >> 20));
        }
        GuestMemory memory = policy.back(vmName, base, size);
        backedBy.put(memory, new Backing(vmName, policy));
        if (memory instanceof SegmentMemory segment) {
            segment.onFirstTouch(address -> {
                String refusal = touch(memory, address);
                if (refusal != null) {
                    throw new IllegalStateException(refusal);
                }
            });
        }
        return memory;
    }

    @Override
    public long residentBytes(GuestMemory memory) {
        synchronized (residency) {
            Backing backing = backedBy.get(memory);
            return backing == null ? 0 : backing.policy().residentBytes(memory);
        }
    }

    @Override
    public BitSet backedPages(GuestMemory memory) {
        synchronized (residency) {
            Backing backing = backedBy.get(memory);
            return backing == null ? new BitSet() : backing.policy().backedPages(memory);
        }
    }

    @Override
    public synchronized void release(GuestMemory memory) {
        Backing backing;
        synchronized (residency) {
            backing = backedBy.remove(memory);
            if (backing != null) {
                backing.policy().release(memory);
            }
        }
        if (backing != null) {
            waiting.remove(backing.vmName());
            grantWaiting();
        }
    }

    /**
     * A vCPU of {@code vm} touched the chunk holding {@code address} first: backs it and returns true, or pauses
     * the VM with the reason and returns false.
     */
    synchronized boolean firstTouch(VmContext vm, long address) {
        String refusal = touch(vm.memory(), address);
        if (refusal == null) {
            return true;
        }
        waiting.put(vm.name(), vm);
        vm.waitForResources(refusal);
        return false;
    }

    /** Backs the chunk of {@code memory} holding {@code address}; returns null, or why it cannot be backed. */
    private synchronized String touch(GuestMemory memory, long address) {
        Backing backing = backedBy.get(memory);
        if (backing == null || !(memory instanceof SegmentMemory segment) || segment.chunks() == null) {
            return null;
        }
        ChunkMap chunks = segment.chunks();
        long offset = address - memory.base();
        if (chunks.isBacked(offset)) {
            return null;
        }
        long cap = memoryCap(backing.vmName());
        if (cap > 0 && chunks.backedBytes() + ChunkMap.CHUNK > cap) {
            return "waiting for memory: %s is at its memory cap of %dM (alloc:memcap %s SIZE raises it)"
                    .formatted(backing.vmName(), cap >> 20, backing.vmName());
        }
        long left = budget - backedBy.entrySet().stream().mapToLong(this::heldBytes).sum();
        if (!backing.policy().backOnTouch(backing.vmName(), ChunkMap.CHUNK, left)) {
            return "waiting for memory: the host memory budget is spent (%dM left)".formatted(left >> 20);
        }
        chunks.markBacked(offset);
        return null;
    }

    /** What a VM's RAM takes of the budget: what its policy promised up front, or else the chunks backed so far. */
    private long heldBytes(Map.Entry<GuestMemory, Backing> backed) {
        long committed = backed.getValue().policy().committedBytes(backed.getKey());
        return committed > 0 || !(backed.getKey() instanceof SegmentMemory segment) || segment.chunks() == null
                ? committed : segment.chunks().backedBytes();
    }

    /**
     * Sets a VM's memory cap, rounded down to whole chunks but at least one (0 removes it), and lets the VM run on
     * if it waited for memory. A VM whose RAM was backed in full when it was created is refused a cap: it holds
     * already what a cap would keep from it, and the cap could never bite.
     */
    public synchronized void setMemoryCap(String vmName, long bytes) {
        if (bytes > 0 && backedInFull(vmName)) {
            throw new IllegalArgumentException(("%s's RAM was backed in full when it was created: only RAM backed on"
                    + " demand can be capped (alloc:use memory %s, then create the VM)").formatted(vmName, DEFAULT));
        }
        if (bytes == 0) {
            caps.remove(vmName);
        } else {
            caps.put(vmName, Math.max(ChunkMap.CHUNK, bytes / ChunkMap.CHUNK * ChunkMap.CHUNK));
        }
        VmContext vm = waiting.remove(vmName);
        if (vm != null) {
            vm.resourcesGranted();
        }
    }

    /** Whether VM {@code vmName} exists and its policy backed all of its RAM up front rather than on first touch. */
    private boolean backedInFull(String vmName) {
        return backedBy.entrySet().stream().anyMatch(backed -> backed.getValue().vmName().equals(vmName)
                && !(backed.getKey() instanceof SegmentMemory segment && segment.chunks() != null));
    }

    public long memoryCap(String vmName) {
        return caps.getOrDefault(vmName, 0L);
    }

    /** Memory came free: the VMs that waited for it try again (and wait again when it is still not enough). */
    private void grantWaiting() {
        List<VmContext> granted = List.copyOf(waiting.values());
        waiting.clear();
        granted.forEach(VmContext::resourcesGranted);
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
