package io.pogo.cpu.debug;

import io.pogo.api.cpu.DebugStop;
import io.pogo.api.cpu.HartDebug;
import io.pogo.cpu.HartState;
import io.pogo.cpu.mmu.Mmu;

import java.util.OptionalLong;

/**
 * The hart as a debugger holds it: its software breakpoints, a requested single step, and why it last stopped. A
 * stop is raised on the vCPU thread ({@link #stop}) and taken by the run loop, which then returns
 * {@link io.pogo.api.cpu.RunOutcome#STOPPED_FOR_DEBUGGER}.
 */
public final class DebugUnit implements HartDebug {
    public final Breakpoints breakpoints = new Breakpoints();
    private final HartState hart;
    private final Mmu mmu;
    private volatile boolean stepRequested;
    private DebugStop pendingStop;
    private volatile DebugStop lastStop;

    public DebugUnit(HartState hart, Mmu mmu) {
        this.hart = hart;
        this.mmu = mmu;
    }

    @Override
    public void insertBreakpoint(long address) {
        breakpoints.request(address, true);
        hart.attention = true;
    }

    @Override
    public void removeBreakpoint(long address) {
        breakpoints.request(address, false);
        hart.attention = true;
    }

    @Override
    public void requestStep() {
        stepRequested = true;
    }

    @Override
    public DebugStop stopReason() {
        return lastStop;
    }

    @Override
    public void clear() {
        breakpoints.clear();
        hart.triggers.releaseDebuggerTriggers();
        stepRequested = false;
        hart.attention = true;
    }

    @Override
    public OptionalLong translate(long virtualAddress) {
        long physical = mmu.translateForDebugger(virtualAddress);
        return physical == -1 ? OptionalLong.empty() : OptionalLong.of(physical);
    }

    /** On the vCPU thread: the hart stops before its current pc; the run loop returns at the next look. */
    public void stop(DebugStop reason) {
        pendingStop = reason;
        hart.attention = true;
    }

    public boolean stopPending() {
        return pendingStop != null;
    }

    /** The stop raised since the last look, now the one {@link #stopReason} reports; null when there is none. */
    public DebugStop takeStop() {
        DebugStop stop = pendingStop;
        if (stop != null) {
            pendingStop = null;
            lastStop = stop;
        }
        return stop;
    }

    /** Whether the next run is a single step; taking it clears the request. */
    public boolean takeStep() {
        if (!stepRequested) {
            return false;
        }
        stepRequested = false;
        return true;
    }
}
