package io.pogo.platform;

import io.pogo.api.device.Device;
import io.pogo.api.device.DeviceContext;
import io.pogo.api.device.DeviceFactory;
import io.pogo.api.device.Placement;
import org.osgi.service.component.annotations.Component;

/** Provides the {@code plic} interrupt controller at 0xc000000, where QEMU's virt board has it. */
@Component(property = DeviceFactory.TYPE + "=plic")
public final class PlicFactory implements DeviceFactory {

    @Override
    public Placement placement() {
        return new Placement.Fixed(0xc00_0000L, 0x60_0000, 0);
    }

    @Override
    public Device create(DeviceContext context) {
        return new Plic(context.hartInterrupts(), context.window());
    }
}
