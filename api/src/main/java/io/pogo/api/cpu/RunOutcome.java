package io.pogo.api.cpu;

/** Why {@link VCpu#run(long)} returned. */
public enum RunOutcome {
    /** The instruction budget is spent; the hart can run on. */
    BUDGET_SPENT,
    /** The hart executed WFI with no enabled interrupt pending. */
    WAITING_FOR_INTERRUPT,
    /** {@link VCpu#kick()} asked the quantum to end early. */
    KICKED
}
