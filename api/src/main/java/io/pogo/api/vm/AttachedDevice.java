package io.pogo.api.vm;

import io.pogo.api.device.MmioWindow;

/** A device as attached to a VM; {@code irq} 0 means none. */
public record AttachedDevice(String type, MmioWindow window, int irq) {
}
