package io.pogo.virtio.empty;

import io.pogo.api.device.Device;
import io.pogo.api.device.DeviceContext;
import io.pogo.api.device.DeviceFactory;
import io.pogo.api.device.Placement;
import io.pogo.virtio.DeviceOptions;
import java.util.List;
import org.osgi.service.component.annotations.Component;

/**
 * Provides {@value Placement.VirtioSlot#EMPTY}, a virtio-mmio transport with no device behind it, which the monitor
 * puts in every virtio slot no device takes (QEMU's virt board has all eight). Takes {@code legacy=on|off} as the
 * other virtio devices do, so {@code --virtio-legacy} turns the empty transports to version 1 as well.
 */
@Component(property = DeviceFactory.TYPE + "=" + Placement.VirtioSlot.EMPTY)
public final class EmptyTransportFactory implements DeviceFactory {

    private static final String OPTION = "--device " + Placement.VirtioSlot.EMPTY;

    @Override
    public Placement placement() {
        return new Placement.VirtioSlot();
    }

    @Override
    public Device create(DeviceContext context) {
        DeviceOptions options = DeviceOptions.checked(OPTION, context.options(), List.of());
        return new EmptyTransport(context.window(), context.interruptLine().number(), options.transport());
    }
}
