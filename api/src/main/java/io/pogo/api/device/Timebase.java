package io.pogo.api.device;

import io.pogo.api.cpu.Interrupt;
import org.osgi.annotation.versioning.ProviderType;

/** The VM's timebase (mtime, the {@code time} CSR) and its one-shot per-hart timer interrupts. */
@ProviderType
public interface Timebase {

    /** Ticks since the VM was created. */
    long ticks();

    /** Ticks per second. */
    long frequency();

    /**
     * From tick {@code deadline} on, {@code interrupt} is pending on hart {@code hartId}; before it, it is clear.
     * Arming again replaces the deadline; {@code -1} (the largest unsigned value) never fires.
     */
    void arm(int hartId, Interrupt interrupt, long deadline);
}
