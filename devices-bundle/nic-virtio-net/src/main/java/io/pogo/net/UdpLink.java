package io.pogo.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.Arrays;

/**
 * A switch port that carries frames to a switch in another Pogo process over UDP, one frame per datagram, as
 * QEMU's {@code -netdev dgram}. Only datagrams from the configured peer are accepted.
 */
final class UdpLink implements SwitchPort, AutoCloseable {

    /** The largest frame a datagram carries: a jumbo frame fits, a datagram cannot be larger. */
    private static final int MAX_FRAME = 65_507;
    private static final int MAX_PORT = 0xFFFF;

    private final VirtualSwitch owner;
    private final InetSocketAddress local;
    private final InetSocketAddress peer;
    private final DatagramChannel channel;
    private final Thread receiver;

    /** @throws IllegalArgumentException with a one-line message when the local address cannot be bound */
    UdpLink(VirtualSwitch owner, InetSocketAddress local, InetSocketAddress peer) {
        this.owner = owner;
        this.local = local;
        this.peer = peer;
        try {
            this.channel = DatagramChannel.open().bind(local);
        } catch (IOException e) {
            throw new IllegalArgumentException("udp " + format(local) + ": cannot bind (" + e.getMessage() + ")");
        }
        this.receiver = Thread.ofPlatform().daemon().name("pogo-net-udp-" + owner.name()).unstarted(this::receive);
    }

    void start() {
        receiver.start();
    }

    InetSocketAddress local() {
        return local;
    }

    InetSocketAddress peer() {
        return peer;
    }

    @Override
    public String describe() {
        return "udp " + format(local) + " -> " + format(peer);
    }

    @Override
    public void deliver(byte[] frame) {
        try {
            channel.send(ByteBuffer.wrap(frame), peer);
        } catch (IOException lost) {
            // a datagram that cannot be sent is a frame lost on the wire, which Ethernet allows
        }
    }

    private void receive() {
        ByteBuffer buffer = ByteBuffer.allocate(MAX_FRAME);
        while (channel.isOpen()) {
            try {
                buffer.clear();
                SocketAddress sender = channel.receive(buffer);
                if (peer.equals(sender)) {
                    owner.forward(this, Arrays.copyOf(buffer.array(), buffer.position()));
                }
            } catch (ClosedChannelException closed) {
                return;
            } catch (IOException lost) {
                // as on a wire: the frame is gone, the link stays up
            }
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // the channel is unusable either way
        }
    }

    static String format(InetSocketAddress address) {
        return address.getHostString() + ":" + address.getPort();
    }

    /** Parses {@code HOST:PORT}; throws IllegalArgumentException naming {@code what} otherwise. */
    static InetSocketAddress parse(String what, String text) {
        int colon = text.lastIndexOf(':');
        try {
            if (colon <= 0) {
                throw new NumberFormatException();
            }
            int port = Integer.parseInt(text.substring(colon + 1));
            if (port < 0 || port > MAX_PORT) {
                throw new IllegalArgumentException(what + text + ": port " + port + " is out of range (0 to "
                        + MAX_PORT + ")");
            }
            InetSocketAddress address = new InetSocketAddress(text.substring(0, colon), port);
            if (address.isUnresolved()) {
                throw new IllegalArgumentException(what + text + ": unknown host");
            }
            return address;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + text + ": expected HOST:PORT such as 127.0.0.1:7001");
        }
    }
}
