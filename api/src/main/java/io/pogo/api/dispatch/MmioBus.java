package io.pogo.api.dispatch;

import io.pogo.api.device.MmioDevice;
import io.pogo.api.device.MmioWindow;
import org.osgi.annotation.versioning.ProviderType;

/** The VM's devices by guest-physical address. */
@ProviderType
public interface MmioBus {

    /** The device whose window holds the whole access, or null when the address is unmapped. */
    Mapping lookup(long address, int size);

    record Mapping(MmioWindow window, MmioDevice device) {
    }
}
