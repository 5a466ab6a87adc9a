package io.pogo.itest;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketException;

/** Loopback UDP ports that were free a moment ago, for links between Pogo processes. */
final class PortFinder {

    private PortFinder() {
    }

    static int freeUdpPort() throws SocketException {
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
