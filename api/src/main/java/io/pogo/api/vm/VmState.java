package io.pogo.api.vm;

/** Lifecycle of a VM: CREATED → RUNNING ⇄ PAUSED → STOPPED, or FAILED from RUNNING/PAUSED on an internal error. */
public enum VmState {
    CREATED,
    RUNNING,
    PAUSED,
    STOPPED,
    FAILED
}
