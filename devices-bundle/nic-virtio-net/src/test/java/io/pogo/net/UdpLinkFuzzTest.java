package io.pogo.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pogo.virtio.FuzzSettings;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Junk datagrams of every size, from the configured peer and from strangers, at a real UDP link on loopback: the
 * strangers' are dropped whatever they hold, the peer's are bridged as Ethernet frames when they hold a header and
 * dropped when they are shorter, nothing is thrown, and the link goes on forwarding: a frame the peer sends after
 * each datagram arrives (which also keeps the socket's buffer from overflowing, as a burst of jumbo datagrams would).
 */
@AddLifecycleHook(FuzzSettings.class)
class UdpLinkFuzzTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final int ETHERNET_HEADER = 14;
    /** The largest UDP payload over IPv4. */
    private static final int MAX_DATAGRAM = 65_507;

    /** The switch side of the link: every frame the switch hands it, in order. */
    private record Recorder(LinkedBlockingQueue<byte[]> frames) implements SwitchPort {
        @Override
        public String describe() {
            return "recorder";
        }

        @Override
        public void deliver(byte[] frame) {
            frames.add(frame);
        }
    }

    /** One datagram: who sends it and what it holds. */
    record Datagram(boolean fromPeer, byte[] payload) {
        @Override
        public String toString() {
            return (fromPeer ? "peer " : "stranger ") + payload.length + " bytes";
        }
    }

    private static DatagramChannel peer;
    private static DatagramChannel stranger;
    private static UdpLink link;
    private static Recorder recorder;
    private static int marker;
    private static final Set<MacAddress> learnedBehindTheLink = new HashSet<>();

    @BeforeContainer
    static void link() throws IOException {
        peer = DatagramChannel.open().bind(new InetSocketAddress(LOOPBACK, 0));
        stranger = DatagramChannel.open().bind(new InetSocketAddress(LOOPBACK, 0));
        VirtualSwitch lan = new VirtualSwitch("fuzz");
        recorder = new Recorder(new LinkedBlockingQueue<>());
        lan.attach(recorder);
        link = new UdpLink(lan, new InetSocketAddress(LOOPBACK, freePort()), (InetSocketAddress) peer.getLocalAddress());
        lan.attach(link);
        link.start();
    }

    @AfterContainer
    static void unlink() throws IOException {
        link.close();
        peer.close();
        stranger.close();
    }

    @Property(tries = 150)
    void junkIsDroppedOrForwardedAndTheLinkKeepsForwarding(@ForAll("datagrams") List<Datagram> datagrams)
            throws IOException, InterruptedException {
        InetSocketAddress target = link.local();
        for (Datagram datagram : datagrams) {
            (datagram.fromPeer() ? peer : stranger).send(ByteBuffer.wrap(datagram.payload()), target);
            if (datagram.fromPeer() && datagram.payload().length >= ETHERNET_HEADER
                    && reachesTheRecorder(datagram.payload())) {
                assertFrame(datagram.payload(), recorder.frames().poll(30, TimeUnit.SECONDS));
            }
            byte[] marker = markerFrame();
            peer.send(ByteBuffer.wrap(marker), target);
            assertFrame(marker, recorder.frames().poll(30, TimeUnit.SECONDS));
        }
        assertEquals(0, recorder.frames().size(), "nothing else came through");
    }

    /**
     * The bridge's own rule, kept here as a model: it learns each source behind the link, and a frame for an
     * address learned behind the link stays there; anything else (group addresses, unknown ones) is flooded.
     */
    private static boolean reachesTheRecorder(byte[] frame) {
        MacAddress source = MacAddress.of(frame, 6);
        if (!source.isMulticast()) {
            learnedBehindTheLink.add(source);
        }
        MacAddress destination = MacAddress.of(frame, 0);
        return destination.isMulticast() || !learnedBehindTheLink.contains(destination);
    }

    private static void assertFrame(byte[] expected, byte[] received) {
        assertTrue(received != null, "a frame of " + expected.length + " bytes never arrived");
        assertTrue(Arrays.equals(expected, received), "a frame of " + expected.length + " bytes arrived as "
                + received.length + " other bytes");
    }

    /** A port that was free a moment ago: the link binds it by number, as a user's --nic udp= does. */
    private static int freePort() throws IOException {
        try (DatagramChannel probe = DatagramChannel.open().bind(new InetSocketAddress(LOOPBACK, 0))) {
            return ((InetSocketAddress) probe.getLocalAddress()).getPort();
        }
    }

    /** A broadcast frame numbered so that one property's marker is never taken for another's. */
    private static byte[] markerFrame() {
        byte[] frame = new byte[60];
        Arrays.fill(frame, 0, 6, (byte) 0xff);
        frame[6] = 0x52;
        frame[7] = 0x54;
        ByteBuffer.wrap(frame).putInt(14, ++marker);
        return frame;
    }

    @Provide
    Arbitrary<List<Datagram>> datagrams() {
        Arbitrary<Integer> size = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.integers().between(0, ETHERNET_HEADER + 2)),
                Tuple.of(3, Arbitraries.integers().between(0, 1600)),
                Tuple.of(1, Arbitraries.of(9000, 9018, 65_000, MAX_DATAGRAM)));
        Arbitrary<byte[]> payload = size.flatMap(length -> Arbitraries.bytes().array(byte[].class).ofSize(length));
        return Combinators.combine(Arbitraries.of(true, false), payload).as(Datagram::new).list().ofMaxSize(12);
    }
}
