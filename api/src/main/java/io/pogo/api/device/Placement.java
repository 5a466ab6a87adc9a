package io.pogo.api.device;

/** A device's request for board resources. */
public sealed interface Placement {

    /** A window at a fixed address, as on QEMU's virt board; {@code irq} 0 means no interrupt line. */
    record Fixed(long base, long size, int irq) implements Placement {
    }

    /**
     * The next free virtio-mmio slot with its interrupt line, taken from the top down as QEMU's virt board plugs
     * its virtio devices (the first at 0x10008000, IRQ 8). A device placed here takes the option
     * {@value #LEGACY}{@code =on|off}: on presents the legacy (version 1) transport, as QEMU's virt board does by
     * default; off, the default here, the modern (version 2) one.
     */
    record VirtioSlot() implements Placement {

        /** The device option that selects the legacy virtio-mmio transport. */
        public static final String LEGACY = "legacy";

        /**
         * The device type of a transport with no device behind it (device ID 0). QEMU's virt board has all eight
         * transports whether or not a device is plugged, so every slot no device takes gets one of these.
         */
        public static final String EMPTY = "virtio-mmio";
    }
}
