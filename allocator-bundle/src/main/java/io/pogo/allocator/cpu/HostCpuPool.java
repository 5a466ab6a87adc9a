package io.pogo.allocator.cpu;

import io.pogo.api.allocator.HostCpuScheduler;
import io.pogo.api.allocator.ScheduledVcpu;
import io.pogo.api.allocator.TaskState;
import io.pogo.api.allocator.VcpuTask;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * A fixed pool of host worker threads, one per host processor, that runs every vCPU of every VM in equal
 * quanta, round robin. An idle (WFI) or paused vCPU leaves the run queue until it is woken.
 */
@Component(service = HostCpuScheduler.class)
public final class HostCpuPool implements HostCpuScheduler {

    /** Instructions per quantum: a few milliseconds of guest time. */
    static final long QUANTUM = 1_000_000;

    private final BlockingQueue<RunQueueEntry> runQueue = new LinkedBlockingQueue<>();
    private final List<Thread> workers = new ArrayList<>();

    @Activate
    void activate() {
        int hostCpus = Runtime.getRuntime().availableProcessors();
        for (int i = 0; i < hostCpus; i++) {
            workers.add(Thread.ofPlatform().daemon().name("pogo-hostcpu-" + i).start(this::work));
        }
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        workers.forEach(Thread::interrupt);
        for (Thread worker : workers) {
            worker.join();
        }
    }

    @Override
    public ScheduledVcpu admit(String vmName, int hartId, VcpuTask task) {
        RunQueueEntry entry = new RunQueueEntry(task, runQueue);
        runQueue.add(entry);
        return entry;
    }

    private void work() {
        try {
            while (true) {
                RunQueueEntry entry = runQueue.take();
                if (entry.beginQuantum()) {
                    TaskState after = TaskState.FINISHED;
                    try {
                        after = entry.task().runQuantum(QUANTUM);
                    } finally {
                        entry.endQuantum(after);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
