package io.pogo.cpu;

import io.pogo.api.cpu.DebugStop;
import io.pogo.api.cpu.ExceptionCause;

/**
 * Unwinds from deep inside an instruction (an MMU fault, an illegal operand) to the executor, which delivers the
 * trap at the faulting instruction's pc, or stops the hart there for the debugger (a watchpoint). One instance per
 * hart is reused, so raising it allocates nothing.
 */
final class GuestException extends RuntimeException {
    private ExceptionCause cause;
    private long tval;
    private DebugStop debugStop;

    GuestException() {
        super(null, null, false, false);
    }

    GuestException raise(ExceptionCause cause, long tval) {
        this.cause = cause;
        this.tval = tval;
        this.debugStop = null;
        return this;
    }

    /** The instruction does not happen: the hart stops before it for the debugger. */
    GuestException stopForDebugger(DebugStop stop) {
        this.cause = null;
        this.debugStop = stop;
        return this;
    }

    /**
     * The instruction does not happen and nothing traps: the hart stays before it and runs it again when it next
     * runs (guest memory the monitor could not back yet, while the VM pauses).
     */
    GuestException retryLater() {
        this.cause = null;
        this.debugStop = null;
        return this;
    }

    /** Why the hart stops for the debugger instead of trapping; null for a trap. */
    DebugStop debugStop() {
        return debugStop;
    }

    /** The exception the instruction raises; null when it is to run again later ({@link #retryLater}). */
    ExceptionCause exceptionCause() {
        return cause;
    }

    long tval() {
        return tval;
    }
}
