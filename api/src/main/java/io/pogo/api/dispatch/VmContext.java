package io.pogo.api.dispatch;

import io.pogo.api.device.ConsoleChannel;
import io.pogo.api.device.PowerControl;
import io.pogo.api.memory.GuestMemory;
import org.osgi.annotation.versioning.ProviderType;

/** The VM an exit came from, as routines see it. */
@ProviderType
public interface VmContext {

    String name();

    GuestMemory memory();

    MmioBus bus();

    ConsoleChannel console();

    PowerControl power();

    /** Ticks of the VM's timebase (mtime, the {@code time} CSR). */
    long time();

    /** Ticks per second of {@link #time()}. */
    long timebaseFrequency();
}
