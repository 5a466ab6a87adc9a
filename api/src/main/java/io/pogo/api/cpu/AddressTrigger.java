package io.pogo.api.cpu;

import java.util.Objects;
import java.util.Set;

/**
 * One address-match trigger of a hart's trigger module (the debug specification's mcontrol), as it fires: before an
 * instruction at {@code address} executes, or before a load or store touching any of the {@code length} bytes from
 * {@code address} takes place, in one of {@code modes}, the hart does what {@code action} says: it takes a
 * breakpoint exception whose trap value is the matching address (the instruction's, or the access's own), or it
 * stops for the debugger, which the guest never sees.
 *
 * @param address  the instruction address, or the first byte watched
 * @param length   how many bytes from {@code address} loads and stores are watched on
 * @param accesses what fires the trigger
 * @param modes    the privilege modes it fires in
 * @param action   what firing does (since 1.3)
 * @since 1.2
 */
public record AddressTrigger(long address, int length, Set<MemoryAccess> accesses, Set<PrivilegeMode> modes,
                             TriggerAction action) {
    public AddressTrigger {
        accesses = Set.copyOf(accesses);
        modes = Set.copyOf(modes);
        Objects.requireNonNull(action);
    }

    /** A trigger the guest armed: it raises the breakpoint exception. */
    public AddressTrigger(long address, int length, Set<MemoryAccess> accesses, Set<PrivilegeMode> modes) {
        this(address, length, accesses, modes, TriggerAction.BREAKPOINT_EXCEPTION);
    }
}
