package io.pogo.api.allocator;

import io.pogo.api.device.MmioWindow;

/** Board resources granted to one device; {@code irq} 0 means none. */
public record DeviceSlot(MmioWindow window, int irq) {
}
