package io.pogo.api.vm;

import io.pogo.api.allocator.LimitedResource;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Everything {@code pogo run} and {@code vm:create} accept.
 *
 * @param initrd       null when there is none
 * @param append       the kernel command line, empty when none
 * @param devices      devices beyond the board's own (drives, NICs and {@code --device} requests)
 * @param virtioLegacy every device in a virtio-mmio slot presents the legacy (version 1) transport unless its own
 *                     options say otherwise ({@code --virtio-legacy})
 * @param deviceTree   a flattened device tree to hand the guest instead of the board's own ({@code --dtb}), or null
 * @param limits       the I/O rate limits the VM starts with ({@code --limit disk:bytes=...}), each in the words of
 *                     {@code alloc:limit}; a kind not named is not limited (since 1.3)
 */
public record VmConfig(String name, int harts, long memoryBytes, Firmware firmware, Path kernel, Path initrd,
                       String append, List<DeviceRequest> devices, boolean virtioLegacy, Path deviceTree,
                       Map<LimitedResource, String> limits) {

    /** A VM without rate limits. */
    public VmConfig(String name, int harts, long memoryBytes, Firmware firmware, Path kernel, Path initrd,
                    String append, List<DeviceRequest> devices, boolean virtioLegacy, Path deviceTree) {
        this(name, harts, memoryBytes, firmware, kernel, initrd, append, devices, virtioLegacy, deviceTree, Map.of());
    }

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
