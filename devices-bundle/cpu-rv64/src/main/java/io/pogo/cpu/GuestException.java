package io.pogo.cpu;

import io.pogo.api.cpu.ExceptionCause;

/**
 * Unwinds from deep inside an instruction (an MMU fault, an illegal operand) to the executor, which delivers the
 * trap at the faulting instruction's pc. One instance per hart is reused, so raising it allocates nothing.
 */
final class GuestException extends RuntimeException {
    private ExceptionCause cause;
    private long tval;

    GuestException() {
        super(null, null, false, false);
    }

    GuestException raise(ExceptionCause cause, long tval) {
        this.cause = cause;
        this.tval = tval;
        return this;
    }

    ExceptionCause exceptionCause() {
        return cause;
    }

    long tval() {
        return tval;
    }
}
