package io.pogo.virtio;

import java.util.Map;

/**
 * The virtio-mmio register layout a device presents. Modern (version 2, virtio 1.x) is Pogo's default; legacy
 * (version 1, virtio 0.9.5: GuestPageSize, QueuePFN and contiguous rings) is what QEMU 7.2's virt board presents
 * unless told {@code virtio-mmio.force-legacy=false}, and what older teaching kernels drive.
 */
public enum TransportVersion {
    LEGACY(1),
    MODERN(2);

    private final int number;

    TransportVersion(int number) {
        this.number = number;
    }

    /** The value of the Version register. */
    public int number() {
        return number;
    }

    /**
     * The version the device options ask for with {@code legacy=on|off}. Factories call this before they acquire
     * anything (an image lock, a switch port), so a bad value leaves nothing behind.
     *
     * @param option the command-line option the device came from, such as {@code --drive}, for the message
     * @throws IllegalArgumentException with a one-line message when the value is neither on nor off
     */
    public static TransportVersion of(String option, Map<String, String> options) {
        return new DeviceOptions(option, options).transport();
    }
}
