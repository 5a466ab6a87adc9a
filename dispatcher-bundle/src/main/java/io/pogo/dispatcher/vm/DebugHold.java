package io.pogo.dispatcher.vm;

import io.pogo.api.cpu.DebugStop;
import io.pogo.api.cpu.Hart;
import io.pogo.api.cpu.HartDebug;
import io.pogo.api.memory.GuestMemory;
import io.pogo.api.vm.DebugEvent;
import io.pogo.api.vm.HartRun;
import io.pogo.api.vm.VmDebug;
import io.pogo.api.vm.VmInfo;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * The VM's harts as a debugger holds them, built on the way {@code vm:pause} parks vCPUs: a held hart's run loop
 * parks at its next instruction boundary instead of running. All-stop: the first hart to stop for the debugger (a
 * breakpoint, a watchpoint, the end of a step) holds every other; once none is inside a quantum, the timebase
 * stands still and the debugger hears one event. Stops a hart reports while another stop is under way are dropped:
 * a breakpoint or watchpoint stops before its instruction, so it fires again when the hart runs on.
 */
final class DebugHold {
    private static final long QUIESCENCE_POLL_NANOS = 20_000;

    private final Vm vm;
    private final List<VcpuRunner> runners;
    private final HartTimers timers;
    private final Object lock = new Object();

    /** The debugger attached, or null. Guarded by {@link #lock}, as the two fields below. */
    private Session session;
    /** Every hart is held and out of its quantum, and the debugger heard why. */
    private boolean stopped;
    /** The event of a stop under way, until every hart is out of its quantum; null when none is. */
    private DebugEvent stopping;

    DebugHold(Vm vm, List<VcpuRunner> runners, HartTimers timers) {
        this.vm = vm;
        this.runners = runners;
        this.timers = timers;
    }

    VmDebug attach(Consumer<DebugEvent> listener) {
        synchronized (lock) {
            if (session != null) {
                throw new IllegalStateException("VM " + vm.name() + " already has a debugger attached");
            }
            session = new Session(listener);
            return session;
        }
    }

    /**
     * On the vCPU thread of a hart that stopped for the debugger: holds every hart and lets the debugger know once
     * they are all stopped. Returns whether the hart must park; false when no debugger is attached any more.
     */
    boolean hartStopped(int hartId, DebugStop cause) {
        synchronized (lock) {
            if (session == null) {
                return false;
            }
            if (stopped || stopping != null) {
                return true;
            }
            stopping = new DebugEvent.HartStopped(hartId, cause);
            holdAll();
        }
        Thread.ofVirtual().name("pogo-debug-stop-" + vm.name()).start(() -> {
            awaitQuiescence();
            finishStop();
        });
        return true;
    }

    /** The VM is over: the debugger hears how, and nothing more. */
    void ended(VmInfo info) {
        synchronized (lock) {
            if (session != null) {
                session.listener.accept(new DebugEvent.Ended(info));
                session = null;
            }
            stopping = null;
            lock.notifyAll();
        }
    }

    private void holdAll() {
        runners.forEach(VcpuRunner::holdForDebugger);
    }

    private void awaitQuiescence() {
        while (runners.stream().anyMatch(VcpuRunner::inQuantum) && !vm.isStopping()) {
            LockSupport.parkNanos(QUIESCENCE_POLL_NANOS);
        }
    }

    private void finishStop() {
        synchronized (lock) {
            if (stopping == null) {
                return;
            }
            DebugEvent event = stopping;
            stopping = null;
            stopped = true;
            timers.pause();
            lock.notifyAll();
            session.listener.accept(event);
        }
    }

    /** One debugger's hold; dead once closed or the VM ended. */
    private final class Session implements VmDebug {
        private final Consumer<DebugEvent> listener;

        Session(Consumer<DebugEvent> listener) {
            this.listener = listener;
        }

        private void requireAttached() {
            if (session != this) {
                throw new IllegalStateException("the debugger of VM " + vm.name() + " was detached");
            }
        }

        @Override
        public List<Hart> harts() {
            return vm.harts();
        }

        @Override
        public HartDebug hart(int hartId) {
            return runner(hartId).vcpu().debug();
        }

        @Override
        public GuestMemory memory() {
            return vm.memory();
        }

        @Override
        public boolean isStopped() {
            synchronized (lock) {
                return session == this && stopped;
            }
        }

        @Override
        public void stop() {
            synchronized (lock) {
                requireAttached();
                if (stopped) {
                    return;
                }
                if (stopping == null) {
                    stopping = new DebugEvent.Interrupted();
                    holdAll();
                }
            }
            awaitQuiescence();
            finishStop();
            synchronized (lock) {
                while (session == this && !stopped && !vm.isStopping()) {
                    try {
                        lock.wait();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
        }

        @Override
        public void resume(Map<Integer, HartRun> runs) {
            if (runs.isEmpty()) {
                throw new IllegalArgumentException("no hart to resume");
            }
            runs.keySet().forEach(DebugHold.this::runner);
            synchronized (lock) {
                requireAttached();
                if (!stopped) {
                    throw new IllegalStateException("the harts of VM " + vm.name() + " are not stopped");
                }
                stopped = false;
                runs.forEach((hartId, run) -> runner(hartId).releaseForDebugger(run == HartRun.STEP));
                if (runs.containsValue(HartRun.CONTINUE)) {
                    timers.resume();
                }
            }
            runs.keySet().forEach(hartId -> runner(hartId).wake());
        }

        @Override
        public void close() {
            synchronized (lock) {
                if (session != this) {
                    return;
                }
                session = null;
                stopped = false;
                stopping = null;
                for (VcpuRunner runner : runners) {
                    runner.vcpu().debug().clear();
                    runner.releaseForDebugger(false);
                }
                timers.resume();
                lock.notifyAll();
            }
            runners.forEach(VcpuRunner::wake);
        }
    }

    private VcpuRunner runner(int hartId) {
        if (hartId < 0 || hartId >= runners.size()) {
            throw new IllegalArgumentException("VM " + vm.name() + " has no hart " + hartId);
        }
        return runners.get(hartId);
    }
}
