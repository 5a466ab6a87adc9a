package io.pogo.allocator.cpu;

import io.pogo.allocator.ShareTable;
import io.pogo.api.allocator.SchedulableVcpu;
import io.pogo.api.allocator.ScheduledVcpu;
import io.pogo.api.allocator.SchedulingUsage;
import io.pogo.api.allocator.TaskState;
import io.pogo.api.allocator.VcpuTask;
import java.util.function.Consumer;

/**
 * One admitted vCPU and where it stands: queued, running on a host CPU, waiting, or gone. A wake-up that
 * arrives while the vCPU runs is remembered, so an interrupt raised just as the guest executes WFI is not lost.
 */
final class RunQueueEntry implements ScheduledVcpu, SchedulableVcpu {

    private enum Where { QUEUED, RUNNING, WAITING, GONE }

    private final String vmName;
    private final int hartId;
    private final VcpuTask task;
    private final ShareTable shares;
    private final Consumer<RunQueueEntry> runQueue;
    private Where where = Where.QUEUED;
    private boolean wakeWhileRunning;
    private boolean withdrawn;
    private long quanta;
    private long hostCpuNanos;

    RunQueueEntry(String vmName, int hartId, VcpuTask task, ShareTable shares, Consumer<RunQueueEntry> runQueue) {
        this.vmName = vmName;
        this.hartId = hartId;
        this.task = task;
        this.shares = shares;
        this.runQueue = runQueue;
    }

    @Override
    public String vmName() {
        return vmName;
    }

    @Override
    public int hartId() {
        return hartId;
    }

    @Override
    public int weight() {
        return shares.weight(vmName);
    }

    @Override
    public int capPercent() {
        return shares.capPercent(vmName);
    }

    VcpuTask task() {
        return task;
    }

    synchronized boolean beginQuantum() {
        if (where != Where.QUEUED || withdrawn) {
            return false;
        }
        where = Where.RUNNING;
        wakeWhileRunning = false;
        return true;
    }

    /** @return whether the vCPU goes back to the run queue */
    synchronized boolean endQuantum(TaskState after, long usedNanos) {
        quanta++;
        hostCpuNanos += usedNanos;
        boolean runAgain = switch (after) {
            case RUNNABLE -> true;
            case IDLE, PARKED -> wakeWhileRunning;
            case FINISHED -> false;
        };
        notifyAll();
        if (withdrawn || after == TaskState.FINISHED) {
            where = Where.GONE;
            return false;
        }
        where = runAgain ? Where.QUEUED : Where.WAITING;
        return runAgain;
    }

    synchronized SchedulingUsage usage() {
        return new SchedulingUsage(quanta, hostCpuNanos);
    }

    synchronized boolean gone() {
        return where == Where.GONE;
    }

    @Override
    public void wake() {
        boolean enqueue;
        synchronized (this) {
            enqueue = where == Where.WAITING;
            if (enqueue) {
                where = Where.QUEUED;
            } else if (where == Where.RUNNING) {
                wakeWhileRunning = true;
            }
        }
        if (enqueue) {
            runQueue.accept(this);
        }
    }

    @Override
    public void withdraw() {
        boolean running;
        synchronized (this) {
            withdrawn = true;
            running = where == Where.RUNNING;
        }
        if (running) {
            task.preempt();
        }
        synchronized (this) {
            while (where == Where.RUNNING) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            where = Where.GONE;
        }
    }
}
