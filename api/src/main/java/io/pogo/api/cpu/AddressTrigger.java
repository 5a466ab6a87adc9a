package io.pogo.api.cpu;

import java.util.Set;

/**
 * One address-match trigger of a hart's trigger module (the debug specification's mcontrol), as it fires: before an
 * instruction at {@code address} executes, or before a load or store touching any of the {@code length} bytes from
 * {@code address} takes place, in one of {@code modes}, the hart takes a breakpoint exception whose trap value is
 * the matching address (the instruction's, or the access's own).
 *
 * @param address  the instruction address, or the first byte watched
 * @param length   how many bytes from {@code address} loads and stores are watched on
 * @param accesses what fires the trigger
 * @param modes    the privilege modes it fires in
 * @since 1.2
 */
public record AddressTrigger(long address, int length, Set<MemoryAccess> accesses, Set<PrivilegeMode> modes) {
    public AddressTrigger {
        accesses = Set.copyOf(accesses);
        modes = Set.copyOf(modes);
    }
}
