package io.pogo.api.vm;

import java.net.InetSocketAddress;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A remote debugger front end for VMs: the GDB stub serves a VM's harts to {@code gdb} over TCP ({@code pogo run
 * --gdb}, {@code vm:gdb}).
 *
 * @since 1.2
 */
@ProviderType
public interface DebugServer {

    /**
     * Serves the debugger of VM {@code vmName} on {@code address}, {@code PORT} (loopback) or {@code HOST:PORT},
     * until {@link #close} or the VM's end; port 0 takes a free port. With {@code holdFirst} the VM's harts stop for
     * the debugger at once (a VM not started yet executes nothing until the debugger resumes it, as QEMU's
     * {@code -S}); otherwise they stop when a debugger connects.
     *
     * @return where it listens
     * @throws IllegalArgumentException an address that is not one, or a port that cannot be had (one line)
     * @throws IllegalStateException    an unknown VM, or one already served
     */
    InetSocketAddress open(String vmName, String address, boolean holdFirst);

    /**
     * Stops serving VM {@code vmName}: a connected debugger hears what is left to tell it (the VM's end) and is
     * detached, and the VM runs on. Returns once that is done; false when the VM was not served.
     */
    boolean close(String vmName);
}
