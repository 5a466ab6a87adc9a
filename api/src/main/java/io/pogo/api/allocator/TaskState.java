package io.pogo.api.allocator;

/** What a task wants after a quantum. */
public enum TaskState {
    /** Ready to run again. */
    RUNNABLE,
    /** Waiting for an interrupt (WFI): run again after {@link ScheduledVcpu#wake()}. */
    IDLE,
    /** Paused by the monitor: run again after {@link ScheduledVcpu#wake()}. */
    PARKED,
    /** Never run again. */
    FINISHED
}
