package io.pogo.api.cpu;

/**
 * What an {@link AddressTrigger} does when it fires: the debug specification's mcontrol "action" field.
 *
 * @since 1.3
 */
public enum TriggerAction {
    /** The hart takes a breakpoint exception (action 0): the guest's own triggers. */
    BREAKPOINT_EXCEPTION,
    /**
     * The hart stops for the debugger before the instruction or access (action 1, "enter debug mode"): the run
     * returns {@link RunOutcome#STOPPED_FOR_DEBUGGER} and the guest sees nothing.
     */
    STOP_FOR_DEBUGGER
}
