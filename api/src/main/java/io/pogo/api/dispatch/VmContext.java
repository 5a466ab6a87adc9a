package io.pogo.api.dispatch;

import io.pogo.api.cpu.Hart;
import io.pogo.api.device.ConsoleChannel;
import io.pogo.api.device.PowerControl;
import io.pogo.api.device.Timebase;
import io.pogo.api.memory.GuestMemory;
import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/** The VM an exit came from, as routines see it. */
@ProviderType
public interface VmContext {

    String name();

    GuestMemory memory();

    MmioBus bus();

    ConsoleChannel console();

    PowerControl power();

    /** The VM's timebase (the {@code time} CSR) and per-hart timers (SBI TIME). */
    Timebase timebase();

    /** The harts of the VM, by hart id (SBI IPI, RFENCE). */
    List<Hart> harts();

    /** Hart lifecycle (SBI HSM). */
    HartControl hartControl();
}
