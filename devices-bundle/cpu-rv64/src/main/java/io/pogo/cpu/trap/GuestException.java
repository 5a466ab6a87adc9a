package io.pogo.cpu.trap;

import io.pogo.api.cpu.DebugStop;
import io.pogo.api.cpu.ExceptionCause;

/**
 * Unwinds from deep inside an instruction (an MMU fault, an illegal operand) to the executor, which delivers the
 * trap at the faulting instruction's pc, or stops the hart there for the debugger (a watchpoint). One instance per
 * hart is reused, so raising it allocates nothing.
 */
public final class GuestException extends RuntimeException {
    private ExceptionCause cause;
    private long tval;
    private DebugStop debugStop;

    public GuestException() {
        super(null, null, false, false);
    }

    public GuestException raise(ExceptionCause cause, long tval) {
        this.cause = cause;
        this.tval = tval;
        this.debugStop = null;
        return this;
    }

    /** The instruction does not happen: the hart stops before it for the debugger. */
    public GuestException stopForDebugger(DebugStop stop) {
        this.cause = null;
        this.debugStop = stop;
        return this;
    }

    /**
     * The instruction does not happen and nothing traps: the hart stays before it and runs it again when it next
     * runs (guest memory the monitor could not back yet, while the VM pauses).
     */
    public GuestException retryLater() {
        this.cause = null;
        this.debugStop = null;
        return this;
    }

    /** Why the hart stops for the debugger instead of trapping; null for a trap. */
    public DebugStop debugStop() {
        return debugStop;
    }

    /** The exception the instruction raises; null when it is to run again later ({@link #retryLater}). */
    public ExceptionCause exceptionCause() {
        return cause;
    }

    public long tval() {
        return tval;
    }
}
