package io.pogo.virtio;

import io.pogo.api.device.ConsoleChannel;
import io.pogo.api.device.DeviceContext;
import io.pogo.api.device.HartInterrupts;
import io.pogo.api.device.InterruptLine;
import io.pogo.api.device.MmioWindow;
import io.pogo.api.device.PowerControl;
import io.pogo.api.device.Timebase;
import io.pogo.api.memory.GuestMemory;
import java.util.Map;

/**
 * What a virtio device gets of its VM in tests: the virt board's slot 7 (where QEMU and Pogo plug the first virtio
 * device), RAM and an interrupt line whose level the test reads; the rest of the board is absent.
 */
public final class TestContext implements DeviceContext {

    private final String vmName;
    private final GuestMemory memory;
    private final Map<String, String> options;
    private volatile boolean interrupted;

    public TestContext(GuestMemory memory, Map<String, String> options) {
        this("test", memory, options);
    }

    public TestContext(String vmName, GuestMemory memory, Map<String, String> options) {
        this.vmName = vmName;
        this.memory = memory;
        this.options = Map.copyOf(options);
    }

    public boolean interrupted() {
        return interrupted;
    }

    @Override
    public String vmName() {
        return vmName;
    }

    @Override
    public MmioWindow window() {
        return new MmioWindow(0x1000_8000L, 0x1000);
    }

    @Override
    public InterruptLine interruptLine() {
        return new InterruptLine() {
            @Override
            public int number() {
                return 8;
            }

            @Override
            public void setLevel(boolean asserted) {
                interrupted = asserted;
            }
        };
    }

    @Override
    public GuestMemory memory() {
        return memory;
    }

    @Override
    public Map<String, String> options() {
        return options;
    }

    @Override
    public ConsoleChannel console() {
        throw new UnsupportedOperationException("no console on a virtio test board");
    }

    @Override
    public PowerControl power() {
        throw new UnsupportedOperationException("no power control on a virtio test board");
    }

    @Override
    public HartInterrupts hartInterrupts() {
        throw new UnsupportedOperationException("no harts on a virtio test board");
    }

    @Override
    public Timebase timebase() {
        throw new UnsupportedOperationException("no timebase on a virtio test board");
    }
}
