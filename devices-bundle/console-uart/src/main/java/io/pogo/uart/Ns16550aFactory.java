package io.pogo.uart;

import io.pogo.api.device.Device;
import io.pogo.api.device.DeviceContext;
import io.pogo.api.device.DeviceFactory;
import io.pogo.api.device.Placement;
import org.osgi.service.component.annotations.Component;

/** Provides the console UART at 0x10000000 with IRQ 10, where QEMU's virt board has it. */
@Component(property = DeviceFactory.TYPE + "=ns16550a")
public final class Ns16550aFactory implements DeviceFactory {

    @Override
    public Placement placement() {
        return new Placement.Fixed(0x1000_0000L, 0x100, 10);
    }

    @Override
    public Device create(DeviceContext context) {
        return new Ns16550a(context.console(), context.interruptLine(), context.window());
    }
}
