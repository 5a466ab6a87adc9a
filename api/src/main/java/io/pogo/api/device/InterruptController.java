package io.pogo.api.device;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Implemented by the device that collects the board's interrupt lines (the PLIC). Every other device's
 * {@link InterruptLine} ends here.
 */
@ConsumerType
public interface InterruptController {

    /** Interrupt source {@code source} (1-based, as numbered in the device tree) changed its level. */
    void setSourceLevel(int source, boolean asserted);
}
