package io.pogo.api.device;

import io.pogo.api.memory.GuestMemory;
import java.util.Map;
import org.osgi.annotation.versioning.ProviderType;

/** Everything a device may know about the VM it is attached to. */
@ProviderType
public interface DeviceContext {

    String vmName();

    /** The device's window in guest-physical address space. */
    MmioWindow window();

    /** The line assigned to the device; a no-op line when it asked for none. */
    InterruptLine interruptLine();

    /** Guest RAM, for DMA. */
    GuestMemory memory();

    /** The options given with {@code --device TYPE,k=v,...} (or implied by --drive/--nic). */
    Map<String, String> options();

    /** The VM's console, for serial devices. */
    ConsoleChannel console();

    /** Power and reset of the whole VM, for the test finisher and syscon. */
    PowerControl power();

    /** Per-hart interrupt inputs (timer, software and external interrupts), for CLINT and PLIC. */
    HartInterrupts hartInterrupts();

    /** The VM's timebase and per-hart timers, for CLINT and RTC. */
    Timebase timebase();
}
