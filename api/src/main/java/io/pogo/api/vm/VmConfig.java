package io.pogo.api.vm;

import java.nio.file.Path;
import java.util.List;

/**
 * Everything {@code pogo run} and {@code vm:create} accept.
 *
 * @param initrd  null when there is none
 * @param append  the kernel command line, empty when none
 * @param devices devices beyond the board's own (drives, NICs and {@code --device} requests)
 */
public record VmConfig(String name, int harts, long memoryBytes, Firmware firmware, Path kernel, Path initrd,
                       String append, List<DeviceRequest> devices) {
}
