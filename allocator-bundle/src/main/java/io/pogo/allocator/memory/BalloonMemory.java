package io.pogo.allocator.memory;

import io.pogo.api.allocator.MemoryBalloon;
import io.pogo.api.allocator.MemoryPolicy;
import io.pogo.api.allocator.SchedulingPolicy;
import io.pogo.api.memory.GuestMemory;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * Over-commit with balloons: RAM is backed on first touch as {@link OnDemandMemory} does, and once a second the
 * policy compares what its VMs hold with the host budget: when they hold more, it inflates the balloons of the
 * guests with free memory; when they hold clearly less, it deflates what it inflated, first for the guests that
 * are short of memory. A VM without a balloon is backed all the same, and never reclaimed from.
 */
@Component(property = SchedulingPolicy.NAME + "=" + BalloonMemory.NAME, configurationPid = "io.pogo.allocator.balloon",
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
public final class BalloonMemory implements MemoryPolicy {

    public static final String NAME = "balloon";

    /** The configuration: the host memory the policy's VMs may hold together; 0 means three quarters of the host's. */
    @interface Config {
        long budget() default 0;
    }

    private final OnDemandMemory backing = new OnDemandMemory();
    private final Map<String, GuestMemory> backed = new ConcurrentHashMap<>();
    private ScheduledExecutorService balancer;
    private long budget;

    @Reference
    private Balloons balloons;

    @Activate
    void configure(Config config) {
        budget = config.budget() > 0 ? config.budget() : hostMemory() / 4 * 3;
    }

    @Deactivate
    synchronized void stop() {
        if (balancer != null) {
            balancer.shutdownNow();
            balancer = null;
        }
    }

    /** The balancing rounds run while the policy backs a VM, so an unused policy costs no host CPU. */
    @Override
    public synchronized GuestMemory back(String vmName, long base, long size) {
        GuestMemory memory = backing.back(vmName, base, size);
        backed.put(vmName, memory);
        if (balancer == null) {
            balancer = Executors.newSingleThreadScheduledExecutor(task -> Thread.ofPlatform().daemon()
                    .name("pogo-balloon-policy").unstarted(task));
            balancer.scheduleWithFixedDelay(this::rebalance, 1, 1, TimeUnit.SECONDS);
        }
        return memory;
    }

    @Override
    public long residentBytes(GuestMemory memory) {
        return backing.residentBytes(memory);
    }

    @Override
    public long committedBytes(GuestMemory memory) {
        return 0;
    }

    /**
     * Every first touch is backed: the balloons keep what this policy's VMs hold within its budget, by what is
     * resident. The broker's count of touched chunks never falls when a balloon gives pages back, so refusing by
     * it would end the over-commitment once the guests had touched the budget's worth.
     */
    @Override
    public boolean backOnTouch(String vmName, long bytes, long budgetLeft) {
        return true;
    }

    @Override
    public synchronized void release(GuestMemory memory) {
        backed.values().remove(memory);
        backing.release(memory);
        if (backed.isEmpty()) {
            stop();
        }
    }

    /** One round: a VM that goes away meanwhile is skipped, and a failure waits for the next round. */
    private void rebalance() {
        try {
            List<BalloonBalancer.Guest> guests = new ArrayList<>();
            Map<String, MemoryBalloon> present = balloons.all();
            backed.forEach((vm, memory) -> {
                MemoryBalloon balloon = present.get(vm);
                long resident = backing.residentBytes(memory);
                guests.add(balloon == null
                        ? new BalloonBalancer.Guest(vm, memory.size(), resident, -1, 0, 0)
                        : new BalloonBalancer.Guest(vm, memory.size(), resident,
                                balloon.guestFreeBytes().orElse(-1), balloons.floor(vm, balloon),
                                balloon.targetBytes()));
            });
            BalloonBalancer.plan(budget, guests).forEach((vm, size) -> {
                MemoryBalloon balloon = present.get(vm);
                if (balloon != null) {
                    balloon.target(size);
                }
            });
        } catch (RuntimeException e) {
            System.getLogger(BalloonMemory.class.getName()).log(System.Logger.Level.DEBUG, "balloon round", e);
        }
    }

    private static long hostMemory() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getTotalMemorySize();
    }
}
