package io.pogo.api.dispatch;

import org.osgi.annotation.versioning.ProviderType;

/** Starting and stopping the VM's harts (SBI HSM). */
@ProviderType
public interface HartControl {

    HartStatus status(int hartId);

    /**
     * Starts a stopped hart in supervisor mode at {@code startAddress} with a0 = hartid, a1 = {@code opaque},
     * translation off and supervisor interrupts disabled.
     *
     * @return false when the hart is not stopped
     */
    boolean start(int hartId, long startAddress, long opaque);

    /** Stops the calling hart once the current exit returns; it runs again only after {@link #start}. */
    void stopCurrent(int hartId);
}
