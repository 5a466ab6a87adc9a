package io.pogo.api.device;

/** A device's request for board resources. */
public sealed interface Placement {

    /** A window at a fixed address, as on QEMU's virt board; {@code irq} 0 means no interrupt line. */
    record Fixed(long base, long size, int irq) implements Placement {
    }

    /**
     * The next free virtio-mmio slot with its interrupt line. A device placed here takes the option
     * {@value #LEGACY}{@code =on|off}: on presents the legacy (version 1) transport, as QEMU's virt board does by
     * default; off, the default here, the modern (version 2) one.
     */
    record VirtioSlot() implements Placement {

        /** The device option that selects the legacy virtio-mmio transport. */
        public static final String LEGACY = "legacy";
    }
}
