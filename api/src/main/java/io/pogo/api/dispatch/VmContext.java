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

    /**
     * Pauses the VM because a resource it asks for cannot be granted now (its memory cap, the host's memory
     * budget); {@code reason} says which, in words, and the VM's info shows it. Returns at once, so an exit routine
     * on one of the VM's own vCPUs may call it; the VM's harts park at their next instruction boundary.
     *
     * @since 1.1
     */
    void waitForResources(String reason);

    /**
     * Ends a {@link #waitForResources} pause: the VM runs on. Does nothing when the VM is not waiting for resources.
     *
     * @since 1.1
     */
    void resourcesGranted();
}
