package io.pogo.gdb;

import io.pogo.api.vm.DebugServer;

import java.net.InetSocketAddress;
import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code vm:gdb}: serves a VM that exists to gdb, or stops serving it. */
@Component(service = GdbCommands.class, property = {"osgi.command.scope=vm", "osgi.command.function=gdb"})
public final class GdbCommands {

    @Reference
    private DebugServer server;

    @Descriptor("serve a VM to gdb (target remote HOST:PORT) on [HOST:]PORT, loopback unless a host is given;"
            + " it stops when gdb connects and runs on when gdb detaches. 'off' stops serving it")
    public String gdb(@Descriptor("VM name") String name, @Descriptor("[HOST:]PORT, or off") String where) {
        if (where.equals("off")) {
            if (!server.close(name)) {
                throw new IllegalStateException("VM " + name + " is not served to gdb");
            }
            return "gdb stub of " + name + " closed";
        }
        InetSocketAddress address = server.open(name, where, false);
        return "gdb stub of " + name + " on " + GdbServer.describe(address) + " (gdb: target remote "
                + GdbServer.describe(address) + ")";
    }
}
