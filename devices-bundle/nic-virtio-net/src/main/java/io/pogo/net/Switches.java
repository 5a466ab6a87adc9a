package io.pogo.net;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/** The virtual switches of this Pogo process, by name, and the UDP links that join them to other processes. */
@Component(service = Switches.class)
public final class Switches {

    private final Map<String, VirtualSwitch> switches = new ConcurrentSkipListMap<>();
    private final Map<String, UdpLink> links = new ConcurrentSkipListMap<>();

    /** The switch called {@code name}, created on first use. */
    VirtualSwitch named(String name) {
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,31}")) {
            throw new IllegalArgumentException("switch name '" + name + "': use letters, digits, '.', '_' or '-'");
        }
        return switches.computeIfAbsent(name, VirtualSwitch::new);
    }

    List<VirtualSwitch> all() {
        return List.copyOf(switches.values());
    }

    /**
     * Links switch {@code name} to a switch in another process: frames leave from {@code local} to {@code peer}.
     * Linking again with the same addresses keeps the existing link.
     */
    synchronized UdpLink link(String name, InetSocketAddress local, InetSocketAddress peer) {
        VirtualSwitch target = named(name);
        String key = UdpLink.format(local);
        UdpLink existing = links.get(key);
        if (existing != null) {
            if (existing.peer().equals(peer) && target.ports().contains(existing)) {
                return existing;
            }
            throw new IllegalArgumentException("udp " + key + " already links " + owner(existing) + " to "
                    + UdpLink.format(existing.peer()));
        }
        UdpLink link = new UdpLink(target, local, peer);
        links.put(key, link);
        target.attach(link);
        link.start();
        return link;
    }

    /** Removes the link that sends from {@code local}; returns false when there is none. */
    synchronized boolean unlink(InetSocketAddress local) {
        UdpLink link = links.remove(UdpLink.format(local));
        if (link == null) {
            return false;
        }
        all().forEach(candidate -> candidate.detach(link));
        link.close();
        return true;
    }

    private String owner(UdpLink link) {
        Optional<VirtualSwitch> owner = all().stream().filter(candidate -> candidate.ports().contains(link)).findFirst();
        return owner.map(VirtualSwitch::name).orElse("no switch");
    }

    @Deactivate
    synchronized void deactivate() {
        links.values().forEach(UdpLink::close);
        links.clear();
    }
}
