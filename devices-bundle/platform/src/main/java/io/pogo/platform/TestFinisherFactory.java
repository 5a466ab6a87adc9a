package io.pogo.platform;

import io.pogo.api.device.Device;
import io.pogo.api.device.DeviceContext;
import io.pogo.api.device.DeviceFactory;
import io.pogo.api.device.Placement;
import org.osgi.service.component.annotations.Component;

/** Provides the {@code sifive-test} device at 0x100000, where QEMU's virt board has it. */
@Component(property = DeviceFactory.TYPE + "=sifive-test")
public final class TestFinisherFactory implements DeviceFactory {

    @Override
    public Placement placement() {
        return new Placement.Fixed(0x10_0000L, 0x1000, 0);
    }

    @Override
    public Device create(DeviceContext context) {
        return new TestFinisher(context.power(), context.window());
    }
}
