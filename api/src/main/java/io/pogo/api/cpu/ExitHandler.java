package io.pogo.api.cpu;

import org.osgi.annotation.versioning.ConsumerType;

/** Receives the exits of a vCPU: implemented by the monitor. */
@ConsumerType
public interface ExitHandler {

    /**
     * Handles an exit. The hart's pc already points past the exiting instruction; a handler may change it
     * (xRET) or call {@link Hart#raiseException} to make the instruction trap instead of completing.
     *
     * @return the value written to the instruction's destination register, if it has one
     */
    long handle(Exit exit, Hart hart);
}
