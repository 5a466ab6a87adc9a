package io.pogo.api.device;

import org.osgi.annotation.versioning.ProviderType;

/** A level-triggered interrupt line from a device to the VM's interrupt controller. */
@ProviderType
public interface InterruptLine {

    int number();

    void setLevel(boolean asserted);
}
