package io.pogo.net;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A learning Ethernet bridge: it learns which port each source address lives behind, sends frames for a known
 * address to that port only, and floods broadcast, multicast and unknown destinations to every other port.
 * Frames are forwarded on the sender's thread, holding no lock.
 */
final class VirtualSwitch {

    private static final int ETHERNET_HEADER = 14;

    private final String name;
    private final List<SwitchPort> ports = new CopyOnWriteArrayList<>();
    private final Map<MacAddress, SwitchPort> macTable = new ConcurrentHashMap<>();

    VirtualSwitch(String name) {
        this.name = name;
    }

    String name() {
        return name;
    }

    void attach(SwitchPort port) {
        ports.add(port);
    }

    void detach(SwitchPort port) {
        ports.remove(port);
        macTable.values().removeIf(learned -> learned == port);
    }

    List<SwitchPort> ports() {
        return List.copyOf(ports);
    }

    /** The addresses learned so far, in address order. */
    Map<MacAddress, SwitchPort> macTable() {
        Map<MacAddress, SwitchPort> sorted = new TreeMap<>((a, b) -> Long.compare(a.bits(), b.bits()));
        sorted.putAll(macTable);
        return sorted;
    }

    void forward(SwitchPort from, byte[] frame) {
        if (frame.length < ETHERNET_HEADER || !ports.contains(from)) {
            return;
        }
        MacAddress source = MacAddress.of(frame, 6);
        if (!source.isMulticast()) {
            macTable.put(source, from);
        }
        MacAddress destination = MacAddress.of(frame, 0);
        SwitchPort known = destination.isMulticast() ? null : macTable.get(destination);
        if (known != null) {
            if (known != from) {
                known.deliver(frame);
            }
            return;
        }
        for (SwitchPort port : ports) {
            if (port != from) {
                port.deliver(frame);
            }
        }
    }
}
