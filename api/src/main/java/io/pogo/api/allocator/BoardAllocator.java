package io.pogo.api.allocator;

import io.pogo.api.device.Placement;
import org.osgi.annotation.versioning.ProviderType;

/** Hands out MMIO windows and IRQ lines from the board map. */
@ProviderType
public interface BoardAllocator {

    /** @throws IllegalArgumentException when the window is taken or no slot is left */
    DeviceSlot assign(String vmName, Placement placement);

    /** How many more {@link Placement.VirtioSlot} assignments the VM's board has room for. */
    int freeVirtioSlots(String vmName);

    /** Returns every slot the VM holds. */
    void releaseAll(String vmName);
}
