package io.pogo.balloon;

import io.pogo.api.allocator.MemoryAllocator;
import io.pogo.api.device.Device;
import io.pogo.api.device.DeviceContext;
import io.pogo.api.device.DeviceFactory;
import io.pogo.api.device.Placement;
import io.pogo.virtio.TransportVersion;
import io.pogo.virtio.VirtioMmio;
import java.util.Map;
import java.util.Set;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Provides {@code virtio-balloon} in the next virtio-mmio slot, as {@code --device virtio-balloon[,free-page-reporting=on]}
 * asks (QEMU's property name and default: reporting is off unless asked for), and hands it to the memory allocator,
 * which sets its target.
 */
@Component(property = DeviceFactory.TYPE + "=virtio-balloon")
public final class VirtioBalloonFactory implements DeviceFactory {

    private static final String REPORTING = "free-page-reporting";
    private static final Set<String> OPTIONS = Set.of(REPORTING, Placement.VirtioSlot.LEGACY);

    @Reference
    private MemoryAllocator allocator;

    @Override
    public Placement placement() {
        return new Placement.VirtioSlot();
    }

    @Override
    public Device create(DeviceContext context) {
        Map<String, String> options = context.options();
        for (String key : options.keySet()) {
            if (!OPTIONS.contains(key)) {
                throw new IllegalArgumentException("--device virtio-balloon: unknown option '" + key
                        + "' (known: " + REPORTING + ", legacy)");
            }
        }
        boolean reporting = switch (options.getOrDefault(REPORTING, "off")) {
            case "on", "true", "yes" -> true;
            case "off", "false", "no" -> false;
            default -> throw new IllegalArgumentException("--device virtio-balloon," + REPORTING + "="
                    + options.get(REPORTING) + ": expected on or off");
        };
        TransportVersion version = TransportVersion.of("--device virtio-balloon", options);
        String vm = context.vmName();
        VirtioBalloon balloon = new VirtioBalloon(context.memory(), reporting, gone -> allocator.detach(vm, gone));
        VirtioMmio transport = new VirtioMmio(context, balloon, version);
        balloon.notifyConfigThrough(transport::configChanged);
        allocator.attach(vm, balloon);
        return transport;
    }
}
