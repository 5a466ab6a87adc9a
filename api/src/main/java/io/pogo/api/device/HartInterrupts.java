package io.pogo.api.device;

import io.pogo.api.cpu.Interrupt;
import org.osgi.annotation.versioning.ProviderType;

/** The interrupt inputs of the VM's harts. */
@ProviderType
public interface HartInterrupts {

    int hartCount();

    void setPending(int hartId, Interrupt interrupt, boolean pending);
}
