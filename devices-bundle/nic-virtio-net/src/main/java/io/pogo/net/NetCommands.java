package io.pogo.net;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code net:switches}, {@code net:link}, {@code net:unlink}: the virtual LANs of this process. */
@Component(service = NetCommands.class, property = {"osgi.command.scope=net",
        "osgi.command.function=switches", "osgi.command.function=link", "osgi.command.function=unlink"})
public final class NetCommands {

    private final Switches switches;

    @Activate
    public NetCommands(@Reference Switches switches) {
        this.switches = switches;
    }

    @Descriptor("list the virtual switches: their ports (NICs, UDP links) and the MAC addresses each has learned")
    public String switches() {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"SWITCH", "PORT", "LEARNED"});
        for (VirtualSwitch network : switches.all()) {
            Map<MacAddress, SwitchPort> learned = network.macTable();
            for (SwitchPort port : network.ports()) {
                List<String> macs = learned.entrySet().stream().filter(entry -> entry.getValue() == port)
                        .map(entry -> entry.getKey().toString()).toList();
                rows.add(new String[] {network.name(), port.describe(), String.join(" ", macs)});
            }
            if (network.ports().isEmpty()) {
                rows.add(new String[] {network.name(), "-", ""});
            }
        }
        return table(rows);
    }

    @Descriptor("link a switch to a switch in another Pogo process over UDP: net:link SWITCH udp LOCAL PEER")
    public String link(@Descriptor("switch name (created if new)") String name,
                       @Descriptor("link type: udp") String type,
                       @Descriptor("local HOST:PORT to receive on") String local,
                       @Descriptor("peer HOST:PORT to send to") String peer) {
        if (!type.equals("udp")) {
            throw new IllegalArgumentException("link type " + type + ": only udp is supported");
        }
        UdpLink link = switches.link(name, UdpLink.parse("local ", local), UdpLink.parse("peer ", peer));
        return "linked " + name + " " + link.describe();
    }

    @Descriptor("remove the UDP link that receives on LOCAL")
    public String unlink(@Descriptor("local HOST:PORT of the link") String local) {
        return switches.unlink(UdpLink.parse("local ", local)) ? "unlinked " + local : "no link on " + local;
    }

    private static String table(List<String[]> rows) {
        int[] widths = new int[rows.getFirst().length];
        for (String[] row : rows) {
            for (int column = 0; column < row.length; column++) {
                widths[column] = Math.max(widths[column], row[column].length());
            }
        }
        StringBuilder text = new StringBuilder();
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int column = 0; column < row.length; column++) {
                line.append(column == row.length - 1 ? row[column]
                        : ("%-" + (widths[column] + 2) + "s").formatted(row[column]));
            }
            text.append(line.toString().stripTrailing()).append('\n');
        }
        return text.toString().stripTrailing();
    }
}
