package io.pogo.allocator.cpu;

import io.pogo.api.allocator.ScheduledVcpu;
import io.pogo.api.allocator.TaskState;
import io.pogo.api.allocator.VcpuTask;
import java.util.Queue;

/**
 * One admitted vCPU and where it stands: queued, running on a host CPU, idle, parked or gone. A wake-up that
 * arrives while the vCPU runs is remembered, so an interrupt raised just as the guest executes WFI is not lost.
 */
final class RunQueueEntry implements ScheduledVcpu {

    private enum Where { QUEUED, RUNNING, WAITING, GONE }

    private final VcpuTask task;
    private final Queue<RunQueueEntry> runQueue;
    private Where where = Where.QUEUED;
    private boolean wakeWhileRunning;
    private boolean withdrawn;

    RunQueueEntry(VcpuTask task, Queue<RunQueueEntry> runQueue) {
        this.task = task;
        this.runQueue = runQueue;
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

    synchronized void endQuantum(TaskState after) {
        boolean runAgain = switch (after) {
            case RUNNABLE -> true;
            case IDLE, PARKED -> wakeWhileRunning;
            case FINISHED -> false;
        };
        if (withdrawn || after == TaskState.FINISHED) {
            where = Where.GONE;
        } else if (runAgain) {
            enqueue();
        } else {
            where = Where.WAITING;
        }
        notifyAll();
    }

    @Override
    public synchronized void wake() {
        switch (where) {
            case WAITING -> enqueue();
            case RUNNING -> wakeWhileRunning = true;
            case QUEUED, GONE -> { }
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

    private void enqueue() {
        where = Where.QUEUED;
        runQueue.add(this);
    }
}
