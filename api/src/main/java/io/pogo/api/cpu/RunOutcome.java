package io.pogo.api.cpu;

/** Why {@link VCpu#run(long)} returned. */
public enum RunOutcome {
    /** The instruction budget is spent; the hart can run on. */
    BUDGET_SPENT,
    /** The hart executed WFI with no enabled interrupt pending. */
    WAITING_FOR_INTERRUPT,
    /** {@link VCpu#kick()} asked the quantum to end early. */
    KICKED,
    /**
     * The hart stopped for the debugger at an instruction boundary: a breakpoint, a trigger armed for the debugger
     * or the end of a single step; {@link HartDebug#stopReason()} says which. It runs on when run again.
     *
     * @since 1.3
     */
    STOPPED_FOR_DEBUGGER
}
