package io.pogo.dispatcher.vm;

import io.pogo.api.allocator.ScheduledVcpu;
import io.pogo.api.allocator.TaskState;
import io.pogo.api.allocator.VcpuTask;
import io.pogo.api.cpu.CsrAddress;
import io.pogo.api.cpu.DebugStop;
import io.pogo.api.cpu.Exit;
import io.pogo.api.cpu.ExitHandler;
import io.pogo.api.cpu.ExitKind;
import io.pogo.api.cpu.Hart;
import io.pogo.api.cpu.PrivilegeMode;
import io.pogo.api.cpu.VCpu;
import io.pogo.api.dispatch.HartStatus;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One vCPU's run loop as the scheduler drives it, and the dispatcher's entry point for its exits: classify the
 * exit, count it, route it to the routine registered for its kind and count it under the bundle that handled it.
 * A hart held for a debugger parks as a paused one does; one the debugger steps runs a single instruction.
 */
public final class VcpuRunner implements VcpuTask, ExitHandler {

    private final Vm vm;
    private static final int A0 = 10;
    private static final int A1 = 11;
    private static final int A7 = 17;
    /** SBI's Hart State Management extension, whose calls change the host CPUs a VM holds. */
    private static final long SBI_HSM_EXTENSION = 0x48_534dL;
    private static final long MSTATUS_SIE = 1L << 1;

    private final RoutingTable routes;
    private final long[] exitCounts = new long[ExitKind.values().length];
    /** Exits handled, by kind and handler: index {@code kind * MAX_HANDLERS + handler}. */
    private final long[] handledCounts = new long[ExitKind.values().length * RoutingTable.MAX_HANDLERS];
    private VCpu vcpu;
    private volatile ScheduledVcpu scheduled;
    private volatile boolean inQuantum;
    private final CountDownLatch firstQuantum = new CountDownLatch(1);

    private volatile HartStatus status;
    private volatile boolean heldForDebugger;
    /** A debugger's single step is due, which a hart stopped by SBI HSM ends without running. */
    private volatile boolean stepping;

    VcpuRunner(Vm vm, RoutingTable routes, HartStatus initial) {
        this.vm = vm;
        this.routes = routes;
        this.status = initial;
    }

    HartStatus status() {
        return status;
    }

    /**
     * SBI HSM hart_start: a stopped hart comes up in supervisor mode at {@code address} with a0 = hartid,
     * a1 = {@code opaque}, translation off and supervisor interrupts disabled.
     */
    synchronized boolean startAt(long address, long opaque) {
        if (status != HartStatus.STOPPED) {
            return false;
        }
        Hart hart = vcpu.hart();
        hart.setPrivilege(PrivilegeMode.SUPERVISOR);
        hart.setPc(address);
        hart.setRegister(A0, hart.id());
        hart.setRegister(A1, opaque);
        hart.writeCsr(CsrAddress.SATP, 0);
        hart.writeCsr(CsrAddress.MSTATUS, hart.readCsr(CsrAddress.MSTATUS) & ~MSTATUS_SIE);
        status = HartStatus.STARTED;
        wake();
        return true;
    }

    /** A restored hart comes back started or stopped, as it was in the snapshot. */
    void restoreStatus(HartStatus restored) {
        status = restored;
    }

    /** SBI HSM hart_stop: the hart leaves its quantum at the next block boundary and stays stopped. */
    synchronized void stopAfterThisExit() {
        status = HartStatus.STOPPED;
        vcpu.kick();
    }

    void attach(VCpu vcpu) {
        this.vcpu = vcpu;
    }

    VCpu vcpu() {
        return vcpu;
    }

    void scheduledAs(ScheduledVcpu handle) {
        scheduled = handle;
    }

    ScheduledVcpu scheduled() {
        return scheduled;
    }

    /** Waits until this vCPU has been given its first quantum; false if that did not happen in time. */
    boolean awaitFirstQuantum(long deadlineNanos) throws InterruptedException {
        return firstQuantum.await(deadlineNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
    }

    boolean inQuantum() {
        return inQuantum;
    }

    /** From now on the hart parks at its next instruction boundary, until released. */
    void holdForDebugger() {
        heldForDebugger = true;
        vcpu.kick();
    }

    /** Lets the hart run again, for one instruction when {@code step}; the caller wakes it. */
    void releaseForDebugger(boolean step) {
        stepping = step;
        heldForDebugger = false;
    }

    public void wake() {
        ScheduledVcpu handle = scheduled;
        if (handle != null) {
            handle.wake();
        }
    }

    long exitCount(ExitKind kind) {
        return exitCounts[kind.ordinal()];
    }

    long handledCount(ExitKind kind, int handler) {
        return handledCounts[kind.ordinal() * RoutingTable.MAX_HANDLERS + handler];
    }

    @Override
    public TaskState runQuantum(long instructionBudget) {
        inQuantum = true;
        try {
            if (vm.isStopping()) {
                return TaskState.FINISHED;
            }
            if (vm.isPaused() || heldForDebugger) {
                return TaskState.PARKED;
            }
            if (status == HartStatus.STOPPED) {
                return stepping ? stoppedForDebugger(new DebugStop.Stepped()) : TaskState.IDLE;
            }
            if (stepping) {
                vcpu.debug().requestStep();
            }
            return switch (vcpu.run(instructionBudget)) {
                case BUDGET_SPENT -> TaskState.RUNNABLE;
                case WAITING_FOR_INTERRUPT -> TaskState.IDLE;
                case KICKED -> vm.isStopping() ? TaskState.FINISHED
                        : vm.isPaused() || heldForDebugger ? TaskState.PARKED
                        : status == HartStatus.STOPPED ? TaskState.IDLE : TaskState.RUNNABLE;
                case STOPPED_FOR_DEBUGGER -> stoppedForDebugger(vcpu.debug().stopReason());
            };
        } catch (RuntimeException | Error e) {
            // the VM is over: its code goes first, which may be what the host ran out of memory for
            vcpu.release();
            vm.fail("hart " + vcpu.hart().id() + " at pc 0x" + Long.toHexString(vcpu.hart().pc()), e);
            return TaskState.FINISHED;
        } finally {
            inQuantum = false;
            firstQuantum.countDown();
        }
    }

    /** The hart stopped for the debugger, which holds every hart; with no debugger left, it runs on. */
    private TaskState stoppedForDebugger(DebugStop cause) {
        stepping = false;
        return vm.debugHold().hartStopped(vcpu.hart().id(), cause) ? TaskState.PARKED : TaskState.RUNNABLE;
    }

    @Override
    public void preempt() {
        vcpu.kick();
    }

    @Override
    public long handle(Exit exit, Hart hart) {
        Exit classified = classify(exit, hart);
        ExitKind kind = classified.kind();
        exitCounts[kind.ordinal()]++;
        RoutingTable.Route route = routes.route(kind);
        if (route == null) {
            throw new IllegalStateException("no routine handles " + kind + " exits (is the "
                    + (isResourceChanging(kind) ? "allocator" : "interpreter") + " bundle active?)");
        }
        handledCounts[kind.ordinal() * RoutingTable.MAX_HANDLERS + route.handler()]++;
        return route.routine().handle(classified, hart, vm);
    }

    /** The CPU sees every SBI call alike; those to HSM change what the VM holds, so they go their own way. */
    private static Exit classify(Exit exit, Hart hart) {
        if (exit.kind() == ExitKind.HYPERCALL && hart.register(A7) == SBI_HSM_EXTENSION) {
            return new Exit(ExitKind.SBI_HSM, exit.instruction(), exit.pc(), exit.address(), exit.value(),
                    exit.size());
        }
        return exit;
    }

    private static boolean isResourceChanging(ExitKind kind) {
        return kind == ExitKind.WFI || kind == ExitKind.SBI_HSM || kind == ExitKind.UNBACKED_MEMORY;
    }
}
