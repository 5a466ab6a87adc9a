package io.pogo.interpreter.privileged;

import io.pogo.api.cpu.ExceptionCause;
import io.pogo.api.cpu.Exit;
import io.pogo.api.cpu.Hart;

/** The answer to every privileged instruction the current mode may not execute. */
final class IllegalInstruction {
    private IllegalInstruction() {
    }

    /** Makes the exiting instruction trap with its own bits as tval; returns the (unused) result. */
    static long raise(Hart hart, Exit exit) {
        hart.raiseException(ExceptionCause.ILLEGAL_INSTRUCTION, exit.instruction() & 0xFFFF_FFFFL);
        return 0;
    }
}
