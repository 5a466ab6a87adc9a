package io.pogo.api.device;

/** A device's request for board resources. */
public sealed interface Placement {

    /** A window at a fixed address, as on QEMU's virt board; {@code irq} 0 means no interrupt line. */
    record Fixed(long base, long size, int irq) implements Placement {
    }

    /** The next free virtio-mmio slot with its interrupt line. */
    record VirtioSlot() implements Placement {
    }
}
