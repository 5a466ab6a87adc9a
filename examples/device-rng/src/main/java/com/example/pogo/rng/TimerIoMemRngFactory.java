package com.example.pogo.rng;

import io.pogo.api.device.Device;
import io.pogo.api.device.DeviceContext;
import io.pogo.api.device.DeviceFactory;
import io.pogo.api.device.Placement;
import java.security.SecureRandom;
import org.osgi.service.component.annotations.Component;

/**
 * Provides {@code timeriomem-rng} (ask for it with {@code --device timeriomem-rng}) at 0x102000, a page the virt
 * board leaves free between the RTC and the CLINT.
 */
@Component(property = DeviceFactory.TYPE + "=timeriomem-rng")
public final class TimerIoMemRngFactory implements DeviceFactory {

    @Override
    public Placement placement() {
        return new Placement.Fixed(0x10_2000L, 0x1000, 0);
    }

    @Override
    public Device create(DeviceContext context) {
        if (!context.options().isEmpty()) {
            throw new IllegalArgumentException("--device timeriomem-rng takes no options");
        }
        return new TimerIoMemRng(context.window(), new SecureRandom());
    }
}
