package io.pogo.gdb;

import io.pogo.api.vm.DebugServer;
import io.pogo.api.vm.VmManager;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/** The GDB stub as a service: one {@link GdbEndpoint} per VM served. */
@Component(service = DebugServer.class)
public final class GdbServer implements DebugServer {

    private final Map<String, GdbEndpoint> endpoints = new ConcurrentHashMap<>();

    @Reference
    private VmManager vms;

    @Override
    public InetSocketAddress open(String vmName, String address, boolean holdFirst) {
        InetSocketAddress wanted = parse(address);
        if (vms.info(vmName).isEmpty()) {
            throw new IllegalStateException("no VM named " + vmName);
        }
        synchronized (endpoints) {
            GdbEndpoint existing = endpoints.get(vmName);
            if (existing != null) {
                throw new IllegalStateException("VM " + vmName + " is already served to gdb on "
                        + describe(existing.address()));
            }
            ServerSocket server = listen(wanted);
            GdbEndpoint endpoint = new GdbEndpoint(vms, vmName, server, () -> endpoints.remove(vmName));
            endpoints.put(vmName, endpoint);
            try {
                endpoint.start(holdFirst);
            } catch (IllegalStateException cannotDebug) {
                endpoint.close();
                throw cannotDebug;
            }
            return endpoint.address();
        }
    }

    @Override
    public boolean close(String vmName) {
        GdbEndpoint endpoint = endpoints.get(vmName);
        if (endpoint == null) {
            return false;
        }
        endpoint.close();
        return true;
    }

    @Deactivate
    void deactivate() {
        List.copyOf(endpoints.values()).forEach(GdbEndpoint::close);
    }

    static String describe(InetSocketAddress address) {
        String host = address.getAddress() != null ? address.getAddress().getHostAddress() : address.getHostString();
        return host + ":" + address.getPort();
    }

    /** {@code PORT} on the loopback interface, or {@code HOST:PORT}. */
    static InetSocketAddress parse(String address) {
        int colon = address.lastIndexOf(':');
        String host = colon < 0 ? null : address.substring(0, colon);
        String port = address.substring(colon + 1);
        int number;
        try {
            number = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("gdb stub address " + address + ": expected PORT or HOST:PORT");
        }
        if (number < 0 || number > 65535) {
            throw new IllegalArgumentException("gdb stub address " + address + ": port " + number
                    + " is out of range (0 to 65535)");
        }
        if (host == null) {
            return new InetSocketAddress(InetAddress.getLoopbackAddress(), number);
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(host.isEmpty() ? "0.0.0.0" : host), number);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("gdb stub address " + address + ": unknown host " + host);
        }
    }

    private static ServerSocket listen(InetSocketAddress address) {
        try {
            ServerSocket server = new ServerSocket();
            server.setReuseAddress(true);
            server.bind(address);
            return server;
        } catch (IOException e) {
            throw new IllegalArgumentException("gdb stub: cannot listen on " + describe(address) + ": "
                    + e.getMessage());
        }
    }
}
