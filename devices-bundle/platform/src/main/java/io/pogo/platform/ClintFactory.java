package io.pogo.platform;

import io.pogo.api.device.Device;
import io.pogo.api.device.DeviceContext;
import io.pogo.api.device.DeviceFactory;
import io.pogo.api.device.Placement;
import org.osgi.service.component.annotations.Component;

/** Provides the {@code clint} device at 0x2000000, where QEMU's virt board has it. */
@Component(property = DeviceFactory.TYPE + "=clint")
public final class ClintFactory implements DeviceFactory {

    @Override
    public Placement placement() {
        return new Placement.Fixed(0x200_0000L, 0x1_0000, 0);
    }

    @Override
    public Device create(DeviceContext context) {
        return new Clint(context.hartInterrupts(), context.timebase(), context.window());
    }
}
