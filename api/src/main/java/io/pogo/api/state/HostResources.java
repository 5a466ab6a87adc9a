package io.pogo.api.state;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * What a device holds of the host for its VM that no other VM or process may hold at the same time: the lock that
 * makes one process the only writer of a disk image. A device is built holding none of it, leaves its backend
 * untouched until {@link #acquire}, and the monitor acquires before the VM first runs.
 *
 * <p>A live migration has the VM's devices open in two processes at once: the target builds them without acquiring;
 * the source, with every vCPU parked and the state sent, releases just before it lets the target start the VM;
 * the target acquires before the VM runs there. When the target cannot, the source acquires again before its VM
 * runs on. So two copies of a VM never write the same backend.
 */
@ConsumerType
public interface HostResources {

    /**
     * Takes the hold; requests that waited for it are served.
     *
     * @throws IllegalArgumentException with one sentence naming the resource when another VM or process holds it;
     *                                  the device then holds nothing
     */
    void acquire();

    /**
     * Writes what is pending out to the backend and gives up the hold, keeping the backend open for a later
     * {@link #acquire}; requests that come meanwhile wait. Called with every vCPU parked and the device quiesced.
     *
     * @throws IllegalStateException with one sentence when what is pending cannot be written out; the device then
     *                               still holds everything
     */
    void release();
}
