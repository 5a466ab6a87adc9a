package io.pogo.balloon;

import io.pogo.api.allocator.MemoryAllocator;
import io.pogo.api.device.Device;
import io.pogo.api.device.DeviceContext;
import io.pogo.api.device.DeviceFactory;
import io.pogo.api.device.Placement;
import io.pogo.virtio.DeviceOptions;
import io.pogo.virtio.TransportVersion;
import io.pogo.virtio.VirtioMmio;
import java.util.List;
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

    @Reference
    private MemoryAllocator allocator;

    @Override
    public Placement placement() {
        return new Placement.VirtioSlot();
    }

    @Override
    public Device create(DeviceContext context) {
        DeviceOptions options = DeviceOptions.checked("--device virtio-balloon", context.options(),
                List.of(REPORTING));
        boolean reporting = options.flag(REPORTING, false);
        TransportVersion version = options.transport();
        String vm = context.vmName();
        VirtioBalloon balloon = new VirtioBalloon(context.memory(), reporting, gone -> allocator.detach(vm, gone));
        VirtioMmio transport = new VirtioMmio(context, balloon, version);
        balloon.notifyConfigThrough(transport::configChanged);
        allocator.attach(vm, balloon);
        return transport;
    }
}
