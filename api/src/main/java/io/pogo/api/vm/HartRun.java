package io.pogo.api.vm;

/**
 * What a hart stopped for the debugger does when {@link VmDebug#resume} lets it go.
 *
 * @since 1.2
 */
public enum HartRun {
    /** Runs until a breakpoint, a watchpoint or the debugger stops it. */
    CONTINUE,
    /** Executes one instruction and stops. */
    STEP
}
