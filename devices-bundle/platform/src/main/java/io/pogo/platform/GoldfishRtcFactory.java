package io.pogo.platform;

import io.pogo.api.device.Device;
import io.pogo.api.device.DeviceContext;
import io.pogo.api.device.DeviceFactory;
import io.pogo.api.device.Placement;
import java.time.Instant;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/** Provides the {@code goldfish-rtc} at 0x101000 with IRQ 11, where QEMU's virt board has it. */
@Component(property = DeviceFactory.TYPE + "=goldfish-rtc")
public final class GoldfishRtcFactory implements DeviceFactory {

    /** One thread fires the alarms of every VM's RTC; alarms are rare. */
    private final ScheduledThreadPoolExecutor alarms = alarmThread();

    @Override
    public Placement placement() {
        return new Placement.Fixed(0x10_1000L, 0x1000, 11);
    }

    @Override
    public Device create(DeviceContext context) {
        return new GoldfishRtc(context.interruptLine(), context.window(), GoldfishRtcFactory::wallClockNanos, alarms);
    }

    @Deactivate
    void deactivate() {
        alarms.shutdownNow();
    }

    private static long wallClockNanos() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    private static ScheduledThreadPoolExecutor alarmThread() {
        ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(1,
                Thread.ofPlatform().daemon().name("pogo-rtc-alarms").factory());
        timers.setRemoveOnCancelPolicy(true);
        return timers;
    }
}
