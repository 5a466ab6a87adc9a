package io.pogo.api.vm;

import io.pogo.api.cpu.DebugStop;

/**
 * What the debugger of a VM hears ({@link VmManager#debug}). After each {@link VmDebug#resume} there is one
 * {@link HartStopped} or {@link Interrupted} once every hart is stopped again, unless the VM ends first.
 *
 * @since 1.2
 */
public sealed interface DebugEvent {

    /** Hart {@code hartId} stopped for {@code cause}, and every other hart with it. */
    record HartStopped(int hartId, DebugStop cause) implements DebugEvent {
    }

    /** Every hart stopped at the debugger's request ({@link VmDebug#stop}). */
    record Interrupted() implements DebugEvent {
    }

    /** The VM is over: the guest powered off, it failed or it was stopped; {@code info} says which. */
    record Ended(VmInfo info) implements DebugEvent {
    }
}
