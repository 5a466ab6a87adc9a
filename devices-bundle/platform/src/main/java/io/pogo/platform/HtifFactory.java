package io.pogo.platform;

import io.pogo.api.device.Device;
import io.pogo.api.device.DeviceContext;
import io.pogo.api.device.DeviceFactory;
import io.pogo.api.device.MmioWindow;
import io.pogo.api.device.Placement;
import java.util.Map;
import java.util.Set;
import org.osgi.service.component.annotations.Component;

/**
 * Provides the {@code htif} device. The monitor attaches one over the {@code tohost} and {@code fromhost} words of a
 * loaded ELF that defines them (options {@code tohost=ADDRESS,fromhost=ADDRESS}, in a window it places there);
 * asked for without them, the device sits where QEMU's spike machine puts HTIF for such programs: fromhost at
 * 0x1000000, tohost right after it.
 */
@Component(property = DeviceFactory.TYPE + "=htif")
public final class HtifFactory implements DeviceFactory {

    static final long SPIKE_BASE = 0x100_0000L;
    private static final Set<String> OPTIONS = Set.of("tohost", "fromhost");

    @Override
    public Placement placement() {
        return new Placement.Fixed(SPIKE_BASE, 0x1000, 0);
    }

    @Override
    public Device create(DeviceContext context) {
        Map<String, String> options = context.options();
        for (String key : options.keySet()) {
            if (!OPTIONS.contains(key)) {
                throw new IllegalArgumentException("htif: unknown option '" + key + "' (known: tohost, fromhost)");
            }
        }
        MmioWindow window = context.window();
        long tohost;
        long fromhost;
        if (options.containsKey("tohost")) {
            tohost = offset(window, "tohost", options.get("tohost"));
            String given = options.get("fromhost");
            fromhost = given == null ? Htif.ABSENT : offset(window, "fromhost", given);
        } else if (options.isEmpty()) {
            fromhost = 0;
            tohost = 8;
        } else {
            throw new IllegalArgumentException("htif: fromhost needs tohost");
        }
        return new Htif(tohost, fromhost, context.memory(), context.console(), context.power());
    }

    private static long offset(MmioWindow window, String name, String text) {
        long address;
        try {
            address = text.startsWith("0x") ? Long.parseUnsignedLong(text.substring(2), 16)
                    : Long.parseUnsignedLong(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("htif " + name + "=" + text
                    + ": expected an address such as 0x80001000");
        }
        long offset = address - window.base();
        if (window.size() < 8 || Long.compareUnsigned(offset, window.size() - 8) > 0) {
            throw new IllegalArgumentException("htif %s=0x%x: outside the device's window 0x%x+0x%x"
                    .formatted(name, address, window.base(), window.size()));
        }
        return offset;
    }
}
