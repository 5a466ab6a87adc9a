package io.pogo.dispatcher.vm;

import io.pogo.api.device.ConsoleChannel;
import io.pogo.api.device.DeviceContext;
import io.pogo.api.device.HartInterrupts;
import io.pogo.api.device.InterruptLine;
import io.pogo.api.device.MmioWindow;
import io.pogo.api.device.PowerControl;
import io.pogo.api.device.Timebase;
import io.pogo.api.memory.GuestMemory;
import java.util.Map;

/** What one device is given of its VM. */
public record DeviceSite(String vmName, MmioWindow window, InterruptLine interruptLine, GuestMemory memory,
                         Map<String, String> options, ConsoleChannel console, PowerControl power,
                         HartInterrupts hartInterrupts, Timebase timebase) implements DeviceContext {

    public static DeviceSite of(Vm vm, MmioWindow window, int irq, Map<String, String> options) {
        return new DeviceSite(vm.name(), window, new IrqLine(irq, vm), vm.memory(), Map.copyOf(options), vm.console(),
                vm.power(), vm, vm.timebase());
    }
}
