package io.pogo.dispatcher.shell;

import io.pogo.api.vm.MigrationSummary;
import io.pogo.api.vm.VmManager;
import java.io.PrintStream;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code vm:migrate} and {@code vm:receive}: live migration of a running VM to another Pogo process. */
@Component(service = MigrationCommands.class, property = {"osgi.command.scope=vm",
        "osgi.command.function=migrate", "osgi.command.function=receive"})
public final class MigrationCommands {

    @Reference
    private VmManager vms;

    @Descriptor("move a running VM to the Pogo process receiving at HOST:PORT (vm:receive there) while it runs;"
            + " it stops here once it runs there, and runs on here if the migration fails")
    public String migrate(CommandSession session, @Descriptor("VM name") String name,
                          @Descriptor("HOST:PORT of the receiving Pogo") String target) {
        Endpoint endpoint = Endpoint.parse("vm:migrate", target, true);
        PrintStream console = session.getConsole();
        return describeMigrated(vms.migrate(name, endpoint.host(), endpoint.port(), console::println));
    }

    @Descriptor("wait for one VM to migrate here on [HOST:]PORT (loopback unless a host is given) and run it")
    public String receive(CommandSession session, @Descriptor("[HOST:]PORT to listen on") String where) {
        Endpoint endpoint = Endpoint.parse("vm:receive", where, false);
        PrintStream console = session.getConsole();
        return describeReceived(vms.receive(endpoint.host(), endpoint.port(), console::println));
    }

    static String describeMigrated(MigrationSummary summary) {
        return "migrated " + summary.vmName() + ": " + Sizes.human(summary.memoryBytes()) + ", " + summary.rounds()
                + " rounds, downtime " + summary.downtime().toMillis() + " ms";
    }

    static String describeReceived(MigrationSummary summary) {
        return "received " + summary.vmName() + ": " + Sizes.human(summary.memoryBytes()) + ", "
                + Sizes.human(summary.sentBytes()) + " of pages in " + summary.rounds() + " rounds; running";
    }

    /** {@code [HOST:]PORT}; the host is null when left out. */
    record Endpoint(String host, int port) {

        static Endpoint parse(String command, String text, boolean hostRequired) {
            int colon = text.lastIndexOf(':');
            String host = colon < 0 ? null : text.substring(0, colon);
            String expected = hostRequired ? "HOST:PORT" : "[HOST:]PORT";
            if (hostRequired && (host == null || host.isEmpty())) {
                throw new IllegalArgumentException(command + " " + text + ": expected " + expected);
            }
            int port;
            try {
                port = Integer.parseInt(text.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(command + " " + text + ": expected " + expected);
            }
            if (port < 1 || port > 0xFFFF) {
                throw new IllegalArgumentException(command + " " + text + ": port " + port
                        + " is out of range (1 to 65535)");
            }
            return new Endpoint(host, port);
        }
    }
}
