package io.pogo.api.device;

import org.osgi.annotation.versioning.ConsumerType;

/** A device instance attached to one VM. */
@ConsumerType
public interface Device extends MmioDevice, AutoCloseable {

    /** Adds the device's nodes to the VM's device tree, as QEMU's virt board describes the same device. */
    void describe(DeviceTree tree);

    /** Releases the backend (files, sockets); the VM is gone. */
    @Override
    void close();
}
