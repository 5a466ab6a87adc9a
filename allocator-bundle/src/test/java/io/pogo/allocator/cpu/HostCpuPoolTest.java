package io.pogo.allocator.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pogo.allocator.ShareTable;
import io.pogo.api.allocator.ScheduledVcpu;
import io.pogo.api.allocator.SchedulingPolicy;
import io.pogo.api.allocator.TaskState;
import io.pogo.api.allocator.VcpuTask;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class HostCpuPoolTest {

    private final HostCpuPool pool = new HostCpuPool();

    HostCpuPoolTest() {
        pool.shares = new ShareTable();
        pool.bindPolicy(new RoundRobinPolicy(), Map.of(SchedulingPolicy.NAME, RoundRobinPolicy.NAME));
        pool.start(RoundRobinPolicy.NAME, 2);
    }

    @AfterEach
    void deactivate() throws InterruptedException {
        pool.deactivate();
    }

    /** Runs a fixed number of quanta, then idles until woken, then finishes. */
    static final class CountingTask implements VcpuTask {
        final AtomicInteger quanta = new AtomicInteger();
        final CountDownLatch idle = new CountDownLatch(1);
        final CountDownLatch finished = new CountDownLatch(1);
        final int busyQuanta;
        volatile boolean woken;

        CountingTask(int busyQuanta) {
            this.busyQuanta = busyQuanta;
        }

        @Override
        public TaskState runQuantum(long budget) {
            int quantum = quanta.incrementAndGet();
            if (woken) {
                finished.countDown();
                return TaskState.FINISHED;
            }
            if (quantum < busyQuanta) {
                return TaskState.RUNNABLE;
            }
            idle.countDown();
            return TaskState.IDLE;
        }

        @Override
        public void preempt() {
        }
    }

    @Test
    void everyAdmittedTaskRunsUntilIdleAndAWakeRunsItAgain() throws InterruptedException {
        CountingTask[] tasks = new CountingTask[5];
        ScheduledVcpu[] handles = new ScheduledVcpu[tasks.length];
        for (int i = 0; i < tasks.length; i++) {
            tasks[i] = new CountingTask(100);
            handles[i] = pool.admit("vm", i, tasks[i]);
        }
        for (CountingTask task : tasks) {
            assertTrue(task.idle.await(10, TimeUnit.SECONDS));
        }
        Thread.sleep(50);
        for (CountingTask task : tasks) {
            assertEquals(100, task.quanta.get(), "an idle task is not run");
        }
        for (int i = 0; i < tasks.length; i++) {
            tasks[i].woken = true;
            handles[i].wake();
        }
        for (CountingTask task : tasks) {
            assertTrue(task.finished.await(10, TimeUnit.SECONDS));
            assertEquals(101, task.quanta.get());
        }
    }

    @Test
    void aWakeDuringTheQuantumThatIdlesIsNotLost() throws InterruptedException {
        CountDownLatch secondRun = new CountDownLatch(1);
        AtomicInteger runs = new AtomicInteger();
        ScheduledVcpu[] handle = new ScheduledVcpu[1];
        CountDownLatch admitted = new CountDownLatch(1);
        handle[0] = pool.admit("vm", 0, new VcpuTask() {
            @Override
            public TaskState runQuantum(long budget) {
                if (runs.incrementAndGet() == 1) {
                    try {
                        admitted.await();
                    } catch (InterruptedException e) {
                        throw new AssertionError(e);
                    }
                    handle[0].wake();
                    return TaskState.IDLE;
                }
                secondRun.countDown();
                return TaskState.FINISHED;
            }

            @Override
            public void preempt() {
            }
        });
        admitted.countDown();
        assertTrue(secondRun.await(10, TimeUnit.SECONDS));
    }

    @Test
    void aTaskThatThrowsIsFinishedAndReportedWhileEveryHostCpuServesTheOthersOn() throws InterruptedException {
        List<Throwable> failures = List.of(new OutOfMemoryError("Java heap space"), new StackOverflowError(),
                new IllegalStateException("broken"), new NoClassDefFoundError("io/pogo/Gone"));
        List<Throwable> reported = new CopyOnWriteArrayList<>();
        CountDownLatch allReported = new CountDownLatch(failures.size());
        Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((thread, thrown) -> {
            reported.add(thrown);
            allReported.countDown();
        });
        try {
            AtomicInteger thrownQuanta = new AtomicInteger();
            for (Throwable failure : failures) {
                pool.admit("failing", 0, new VcpuTask() {
                    @Override
                    public TaskState runQuantum(long budget) {
                        thrownQuanta.incrementAndGet();
                        if (failure instanceof Error error) {
                            throw error;
                        }
                        throw (RuntimeException) failure;
                    }

                    @Override
                    public void preempt() {
                    }
                });
            }
            CountingTask[] survivors = {new CountingTask(50), new CountingTask(50)};
            for (int i = 0; i < survivors.length; i++) {
                pool.admit("bystander", i, survivors[i]);
            }
            for (CountingTask survivor : survivors) {
                assertTrue(survivor.idle.await(10, TimeUnit.SECONDS), "both host CPUs still serve");
            }
            // the bystanders' idleness says nothing of the failing tasks: a host CPU that has taken the last of them
            // may not have run it yet (a busy host deschedules its thread) while the other serves both bystanders
            assertTrue(allReported.await(10, TimeUnit.SECONDS), "reported: " + reported);
            assertEquals(failures.size(), thrownQuanta.get(), "a task that threw is never run again");
            assertEquals(Set.copyOf(failures), Set.copyOf(reported));
        } finally {
            Thread.setDefaultUncaughtExceptionHandler(previous);
        }
    }

    @Test
    void withdrawPreemptsARunningTaskAndWaitsForIt() throws InterruptedException {
        CountDownLatch running = new CountDownLatch(1);
        AtomicInteger after = new AtomicInteger();
        VcpuTask spinner = new VcpuTask() {
            volatile boolean preempted;

            @Override
            public TaskState runQuantum(long budget) {
                running.countDown();
                while (!preempted) {
                    Thread.onSpinWait();
                }
                after.incrementAndGet();
                return TaskState.RUNNABLE;
            }

            @Override
            public void preempt() {
                preempted = true;
            }
        };
        ScheduledVcpu handle = pool.admit("vm", 0, spinner);
        assertTrue(running.await(10, TimeUnit.SECONDS));
        handle.withdraw();
        int quanta = after.get();
        assertEquals(1, quanta, "the quantum ended before withdraw returned");
        Thread.sleep(50);
        assertEquals(quanta, after.get(), "a withdrawn task never runs again");
    }
}
