package io.pogo.api.vm;

import java.nio.file.Path;
import java.util.List;

/**
 * Everything {@code pogo run} and {@code vm:create} accept.
 *
 * @param initrd       null when there is none
 * @param append       the kernel command line, empty when none
 * @param devices      devices beyond the board's own (drives, NICs and {@code --device} requests)
 * @param virtioLegacy every device in a virtio-mmio slot presents the legacy (version 1) transport unless its own
 *                     options say otherwise ({@code --virtio-legacy})
 * @param deviceTree   a flattened device tree to hand the guest instead of the board's own ({@code --dtb}), or null
 */
public record VmConfig(String name, int harts, long memoryBytes, Firmware firmware, Path kernel, Path initrd,
                       String append, List<DeviceRequest> devices, boolean virtioLegacy, Path deviceTree) {

    /** A VM whose virtio devices present the modern transport unless their options say otherwise. */
    public VmConfig(String name, int harts, long memoryBytes, Firmware firmware, Path kernel, Path initrd,
                    String append, List<DeviceRequest> devices, Path deviceTree) {
        this(name, harts, memoryBytes, firmware, kernel, initrd, append, devices, false, deviceTree);
    }

    /** A VM with the modern virtio transport and the device tree of its board. */
    public VmConfig(String name, int harts, long memoryBytes, Firmware firmware, Path kernel, Path initrd,
                    String append, List<DeviceRequest> devices) {
        this(name, harts, memoryBytes, firmware, kernel, initrd, append, devices, false, null);
    }
}
