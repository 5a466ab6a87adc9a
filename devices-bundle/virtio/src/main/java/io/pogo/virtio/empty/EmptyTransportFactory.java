package io.pogo.virtio.empty;

import io.pogo.api.device.Device;
import io.pogo.api.device.DeviceContext;
import io.pogo.api.device.DeviceFactory;
import io.pogo.api.device.Placement;
import io.pogo.virtio.TransportVersion;
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
        for (String key : context.options().keySet()) {
            if (!key.equals(Placement.VirtioSlot.LEGACY)) {
                throw new IllegalArgumentException(OPTION + ": unknown option '" + key + "' (known: legacy)");
            }
        }
        return new EmptyTransport(context.window(), context.interruptLine().number(),
                TransportVersion.of(OPTION, context.options()));
    }
}
