package io.pogo.allocator.cpu;

import io.pogo.allocator.AbsentPolicyNotice;
import io.pogo.allocator.PolicySwitch;
import io.pogo.allocator.ShareTable;
import io.pogo.api.allocator.HostCpuScheduler;
import io.pogo.api.allocator.PolicyKind;
import io.pogo.api.allocator.PolicySwap;
import io.pogo.api.allocator.RunQueue;
import io.pogo.api.allocator.SchedulableVcpu;
import io.pogo.api.allocator.ScheduledVcpu;
import io.pogo.api.allocator.SchedulingPolicy;
import io.pogo.api.allocator.SchedulingUsage;
import io.pogo.api.allocator.TaskState;
import io.pogo.api.allocator.VcpuTask;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * A fixed pool of host worker threads ("physical CPUs"), by default one per host processor, that multiplexes
 * every vCPU of every VM. Which vCPU runs next is the selected {@link SchedulingPolicy}'s decision; policies are
 * swapped under the run queue's lock while vCPUs keep running, so a swap never stops a VM.
 */
@Component(service = {HostCpuScheduler.class, PolicySwitch.class}, configurationPid = HostCpuPool.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL,
        property = PolicySwitch.KIND + "=SCHEDULING")
public final class HostCpuPool implements HostCpuScheduler, PolicySwitch {

    public static final String PID = "io.pogo.allocator";
    /** Instructions per quantum: a few milliseconds of guest time. */
    static final long QUANTUM = 1_000_000;
    /**
     * How long a host CPU waits before it asks the policy again while vCPUs are queued but none may run (capped
     * vCPUs become eligible in time). With none queued it sleeps until one is: idle VMs cost no host CPU.
     */
    private static final long IDLE_RECHECK_NANOS = 1_000_000;

    /** The configuration: the scheduling policy wanted and the number of host CPUs. */
    @interface Config {
        String sched() default RoundRobinPolicy.NAME;

        int host_cpus() default 0;
    }

    /** Quanta are charged in host CPU time of the worker thread, so time the host took away is not billed. */
    private final ThreadMXBean cpuTime = ManagementFactory.getThreadMXBean();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition work = lock.newCondition();
    private final Map<String, SchedulingPolicy> policies = new ConcurrentSkipListMap<>();
    private final List<Thread> workers = new ArrayList<>();
    private final List<RunQueueEntry> admitted = new CopyOnWriteArrayList<>();
    private int hostCpus;
    private RunQueue runQueue;
    /** vCPUs in the run queue, whatever policy holds them; guarded by the lock. */
    private int queued;
    private String active;
    private volatile String wanted = RoundRobinPolicy.NAME;
    private volatile boolean running;
    private final AbsentPolicyNotice absent = new AbsentPolicyNotice("sched");

    @Reference
    ShareTable shares;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindPolicy(SchedulingPolicy policy, Map<String, Object> properties) {
        String name = String.valueOf(properties.get(SchedulingPolicy.NAME));
        policies.put(name, policy);
        if (name.equals(wanted) && running) {
            swapTo(name);
        }
    }

    void unbindPolicy(SchedulingPolicy policy, Map<String, Object> properties) {
        String name = String.valueOf(properties.get(SchedulingPolicy.NAME));
        if (policies.remove(name, policy) && name.equals(activeName()) && running) {
            swapTo(RoundRobinPolicy.NAME);
        }
    }

    /**
     * The number of host CPUs comes from the configuration, else the framework property {@code pogo.host.cpus},
     * else the host's processor count.
     */
    @Activate
    void activate(Config config, BundleContext context) {
        String property = context.getProperty("pogo.host.cpus");
        int cpus = config.host_cpus() > 0 ? config.host_cpus()
                : property != null ? Integer.parseInt(property) : Runtime.getRuntime().availableProcessors();
        start(config.sched(), cpus);
    }

    /** Starts {@code cpus} host CPUs with the default policy, and the wanted one as soon as it is there. */
    void start(String wantedPolicy, int cpus) {
        hostCpus = cpus;
        wanted = wantedPolicy;
        runQueue = new RoundRobinPolicy().newRunQueue(hostCpus);
        active = RoundRobinPolicy.NAME;
        running = true;
        if (policies.containsKey(wanted)) {
            swapTo(wanted);
        }
        for (int i = 0; i < hostCpus; i++) {
            workers.add(Thread.ofPlatform().daemon().name("pogo-hostcpu-" + i).start(this::work));
        }
    }

    /** A selection made elsewhere (ConfigAdmin) is taken even when its policy is not installed yet. */
    @Modified
    void modified(Config config) {
        wanted = config.sched();
        if (policies.containsKey(wanted)) {
            swapTo(wanted);
        } else {
            absent.tell(wanted, activeName());
        }
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        running = false;
        workers.forEach(Thread::interrupt);
        for (Thread worker : workers) {
            worker.join();
        }
    }

    @Override
    public ScheduledVcpu admit(String vmName, int hartId, VcpuTask task) {
        String selected = wanted;
        if (!policies.containsKey(selected)) {
            absent.tell(selected, activeName());
        }
        RunQueueEntry entry = new RunQueueEntry(vmName, hartId, task, shares, this::enqueue);
        admitted.removeIf(RunQueueEntry::gone);
        admitted.add(entry);
        enqueue(entry);
        return entry;
    }

    @Override
    public SchedulingUsage usage(String vmName) {
        return admitted.stream().filter(entry -> entry.vmName().equals(vmName) && !entry.gone())
                .map(RunQueueEntry::usage).reduce(SchedulingUsage.NONE, SchedulingUsage::plus);
    }

    @Override
    public List<String> available() {
        return List.copyOf(policies.keySet());
    }

    @Override
    public String active() {
        return activeName();
    }

    @Override
    public PolicySwap use(String name) {
        if (!policies.containsKey(name)) {
            throw new IllegalArgumentException("no scheduling policy '" + name + "' (available: "
                    + String.join(", ", policies.keySet()) + ")");
        }
        wanted = name;
        return swapTo(name);
    }

    /**
     * Hands the queued vCPUs to a new policy's queue; running vCPUs are not touched. The new queue is built
     * before the lock is taken, so dispatching stops only for the hand-over itself.
     */
    private PolicySwap swapTo(String name) {
        SchedulingPolicy policy = policies.get(name);
        RunQueue fresh = policy == null ? null : policy.newRunQueue(hostCpus);
        lock.lock();
        try {
            String from = active;
            long start = System.nanoTime();
            if (fresh == null || name.equals(from)) {
                return new PolicySwap(PolicyKind.SCHEDULING, from, from, 0);
            }
            runQueue.drain().forEach(fresh::add);
            runQueue = fresh;
            active = name;
            work.signalAll();
            return new PolicySwap(PolicyKind.SCHEDULING, from, name, System.nanoTime() - start);
        } finally {
            lock.unlock();
        }
    }

    private String activeName() {
        lock.lock();
        try {
            return active;
        } finally {
            lock.unlock();
        }
    }

    private void enqueue(RunQueueEntry entry) {
        lock.lock();
        try {
            runQueue.add(entry);
            queued++;
            work.signal();
        } finally {
            lock.unlock();
        }
    }

    private void work() {
        try {
            while (running) {
                RunQueueEntry entry = nextEntry();
                if (!entry.beginQuantum()) {
                    continue;
                }
                long start = cpuTime.getCurrentThreadCpuTime();
                TaskState after = runQuantum(entry.task());
                long used = cpuTime.getCurrentThreadCpuTime() - start;
                lock.lock();
                try {
                    runQueue.charge(entry, used, System.nanoTime());
                } finally {
                    lock.unlock();
                }
                if (entry.endQuantum(after, used)) {
                    enqueue(entry);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * One quantum of {@code task}. A task that throws is finished, and what it threw goes to the thread's uncaught
     * exception handler (which may end a process whose memory is exhausted); the host CPU serves the others on.
     */
    private static TaskState runQuantum(VcpuTask task) {
        try {
            return task.runQuantum(QUANTUM);
        } catch (RuntimeException | Error e) {
            Thread worker = Thread.currentThread();
            worker.getUncaughtExceptionHandler().uncaughtException(worker, e);
            return TaskState.FINISHED;
        }
    }

    private RunQueueEntry nextEntry() throws InterruptedException {
        lock.lockInterruptibly();
        try {
            while (true) {
                SchedulableVcpu next = runQueue.next(System.nanoTime());
                if (next != null) {
                    queued--;
                    return (RunQueueEntry) next;
                }
                if (queued == 0) {
                    work.await();
                } else {
                    work.awaitNanos(IDLE_RECHECK_NANOS);
                }
            }
        } finally {
            lock.unlock();
        }
    }
}
