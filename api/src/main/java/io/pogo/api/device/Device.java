package io.pogo.api.device;

import org.osgi.annotation.versioning.ConsumerType;

/** A device instance attached to one VM. */
@ConsumerType
public interface Device extends MmioDevice, AutoCloseable {

    /** Releases the backend (files, sockets); the VM is gone. */
    @Override
    void close();
}
