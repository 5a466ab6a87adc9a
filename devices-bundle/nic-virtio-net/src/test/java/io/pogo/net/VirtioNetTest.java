package io.pogo.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pogo.api.device.Device;
import io.pogo.virtio.GuestDriver;
import io.pogo.virtio.SegmentMemory;
import io.pogo.virtio.StateBytes;
import io.pogo.virtio.TestContext;
import io.pogo.virtio.TransportVersion;
import io.pogo.virtio.VirtioMmio;
import java.net.DatagramSocket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** virtio-net NICs driven as Linux's virtio_net drives them, exchanging frames through switches. */
class VirtioNetTest {

    private static final long RX_BUFFERS = GuestDriver.RAM + 0x40000;
    private static final long TX_BUFFER = GuestDriver.RAM + 0x50000;
    private static final int RX_BUFFER_SIZE = 1526;
    private static final long FEATURES = VirtioMmio.F_VERSION_1 | VirtioNet.F_MAC | VirtioNet.F_STATUS;

    /** One guest: its RAM, its NIC and its driver with receive buffers posted. */
    private static final class Guest {
        final SegmentMemory memory = new SegmentMemory(GuestDriver.RAM, 1 << 20);
        final Device nic;
        final GuestDriver driver;

        Guest(Switches switches, String vm, Map<String, String> options) {
            nic = new VirtioNetFactory(switches).create(new TestContext(vm, memory, options));
            driver = new GuestDriver(nic, memory);
            driver.start(FEATURES, 2);
            for (int buffer = 0; buffer < 4; buffer++) {
                driver.descriptor(0, buffer, RX_BUFFERS + 0x800L * buffer, RX_BUFFER_SIZE, GuestDriver.F_WRITE, 0);
                driver.offer(0, buffer);
            }
        }

        String mac() {
            byte[] mac = new byte[6];
            for (int i = 0; i < 6; i++) {
                mac[i] = (byte) nic.read(0x100 + i, 1);
            }
            return java.util.HexFormat.ofDelimiter(":").formatHex(mac);
        }

        void send(byte[] frame) {
            driver.put(TX_BUFFER, new byte[VirtioNet.HEADER]);
            driver.put(TX_BUFFER + VirtioNet.HEADER, frame);
            driver.descriptor(1, 0, TX_BUFFER, VirtioNet.HEADER + frame.length, 0, 0);
            driver.offer(1, 0);
            assertArrayEquals(new long[] {0, 0}, driver.takeUsed(1));
        }

        /** The next frame received, waiting for it when it comes from another thread; null if none came. */
        byte[] receive(boolean wait) throws InterruptedException {
            long deadline = System.nanoTime() + 20_000_000_000L;
            long[] used = driver.takeUsed(0);
            while (used == null && wait && System.nanoTime() < deadline) {
                Thread.sleep(5);
                used = driver.takeUsed(0);
            }
            if (used == null) {
                return null;
            }
            byte[] bytes = driver.bytes(RX_BUFFERS + 0x800L * used[0], (int) used[1]);
            assertEquals(1, bytes[10], "num_buffers");
            return Arrays.copyOfRange(bytes, VirtioNet.HEADER, bytes.length);
        }
    }

    private final Switches here = new Switches();
    private final Switches there = new Switches();

    @AfterEach
    void unlinkAll() {
        here.deactivate();
        there.deactivate();
    }

    private static Map<String, String> options(String... pairs) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            options.put(pairs[i], pairs[i + 1]);
        }
        return options;
    }

    private static byte[] frame(String destination, String source, String payload) {
        byte[] text = payload.getBytes(StandardCharsets.US_ASCII);
        byte[] frame = new byte[14 + text.length];
        System.arraycopy(MacAddressTest.bytes(destination), 0, frame, 0, 6);
        System.arraycopy(MacAddressTest.bytes(source), 0, frame, 6, 6);
        frame[12] = (byte) 0x88;
        frame[13] = (byte) 0xb5;
        System.arraycopy(text, 0, frame, 14, text.length);
        return frame;
    }

    @Test
    void aTransmitChainLongerThanAnyFrameIsCompletedAndDropped() throws InterruptedException {
        Guest a = new Guest(here, "a", options("switch", "lan0", "mac", "52:54:00:00:00:0a"));
        Guest b = new Guest(here, "b", options("switch", "lan0", "mac", "52:54:00:00:00:0b"));
        a.driver.put(GuestDriver.RAM, frame("ff:ff:ff:ff:ff:ff", "52:54:00:00:00:0a", "all of my RAM"));
        a.driver.descriptor(1, 0, GuestDriver.RAM, 1 << 20, 0, 0);
        a.driver.offer(1, 0);
        assertArrayEquals(new long[] {0, 0}, a.driver.takeUsed(1));
        assertNull(b.receive(false), "an oversized frame never reaches the switch");
        a.send(frame("ff:ff:ff:ff:ff:ff", "52:54:00:00:00:0a", "still sending"));
        assertNotNull(b.receive(true));
    }

    @Test
    void configSpaceHoldsTheMacAndLinkUp() {
        Guest guest = new Guest(here, "a", options("switch", "lan0", "mac", "52:54:00:12:34:56"));
        assertEquals(1, guest.driver.reg(0x008));
        assertEquals("52:54:00:12:34:56", guest.mac());
        assertEquals(1, guest.nic.read(0x106, 2));
    }

    @Test
    void anAnnouncementSetsTheStatusBitRaisesTheConfigInterruptAndEndsWithTheGuestsAck() {
        SegmentMemory memory = new SegmentMemory(GuestDriver.RAM, 1 << 20);
        VirtioNet nic = new VirtioNet(MacAddress.parse("52:54:00:00:00:0a"), here.named("lan0"), "a/eth0", bytes -> 0);
        VirtioMmio transport = new VirtioMmio(new TestContext("a", memory, Map.of()), nic, TransportVersion.MODERN);
        nic.notifyConfigChangesTo(transport::configChanged);
        GuestDriver driver = new GuestDriver(transport, memory);
        driver.start(FEATURES | VirtioNet.F_CTRL_VQ | VirtioNet.F_GUEST_ANNOUNCE, 3);
        int generation = driver.reg(0x0fc);

        assertTrue(nic.announce());
        assertEquals(1 | 2, transport.read(0x106, 2), "LINK_UP | ANNOUNCE");
        assertEquals(2, driver.reg(0x060), "a configuration-change interrupt, no used buffer");
        assertEquals(generation + 1, driver.reg(0x0fc));

        assertEquals(VirtioNet.CTRL_ERR, control(driver, 4, 1), "VIRTIO_NET_CTRL_MAC is not offered");
        assertEquals(1 | 2, transport.read(0x106, 2));
        assertEquals(VirtioNet.CTRL_OK, control(driver, VirtioNet.CTRL_ANNOUNCE, VirtioNet.CTRL_ANNOUNCE_ACK));
        assertEquals(1, transport.read(0x106, 2), "the acknowledgement clears ANNOUNCE");
        assertEquals(VirtioNet.CTRL_ERR, control(driver, VirtioNet.CTRL_ANNOUNCE, VirtioNet.CTRL_ANNOUNCE_ACK),
                "nothing left to acknowledge");
    }

    @Test
    void aRestoredNicKeepsTheSavedMacAndAsksItsGuestToAnnounceItself() {
        SegmentMemory memory = new SegmentMemory(GuestDriver.RAM, 1 << 20);
        VirtioNet source = new VirtioNet(MacAddress.parse("52:54:00:00:00:0a"), here.named("lan0"), "a/eth0", bytes -> 0);
        VirtioMmio sourceTransport = new VirtioMmio(new TestContext("a", memory, Map.of()), source,
                TransportVersion.MODERN);
        new GuestDriver(sourceTransport, memory).start(FEATURES | VirtioNet.F_CTRL_VQ | VirtioNet.F_GUEST_ANNOUNCE, 3);
        StateBytes saved = new StateBytes();
        sourceTransport.save(saved);

        VirtioNet target = new VirtioNet(MacAddress.parse("52:54:00:00:00:0b"), there.named("lan0"), "a/eth0", bytes -> 0);
        VirtioMmio targetTransport = new VirtioMmio(new TestContext("a", memory, Map.of()), target,
                TransportVersion.MODERN);
        target.notifyConfigChangesTo(targetTransport::configChanged);
        targetTransport.restore(saved.reader(), sourceTransport.stateVersion());
        assertEquals("52:54:00:00:00:0a", target.mac().toString());
        assertEquals(0x0a, targetTransport.read(0x105, 1), "the configuration space shows the saved MAC");
        assertEquals(1 | 2, targetTransport.read(0x106, 2), "LINK_UP | ANNOUNCE");
        assertEquals(2, targetTransport.read(0x060, 4) & 2, "a configuration-change interrupt");
    }

    @Test
    void aDriverWithoutGuestAnnounceIsNeverAsked() {
        SegmentMemory memory = new SegmentMemory(GuestDriver.RAM, 1 << 20);
        VirtioNet nic = new VirtioNet(MacAddress.parse("52:54:00:00:00:0a"), here.named("lan0"), "a/eth0", bytes -> 0);
        VirtioMmio transport = new VirtioMmio(new TestContext("a", memory, Map.of()), nic, TransportVersion.MODERN);
        nic.notifyConfigChangesTo(transport::configChanged);
        new GuestDriver(transport, memory).start(FEATURES, 2);
        assertFalse(nic.announce());
        assertEquals(1, transport.read(0x106, 2));
        assertEquals(0, transport.read(0x060, 4));
    }

    /** Sends one control command as Linux's virtnet_send_command does and returns the device's answer. */
    private static byte control(GuestDriver driver, int commandClass, int command) {
        long header = GuestDriver.RAM + 0x60000;
        long answer = header + 0x10;
        driver.put(header, new byte[] {(byte) commandClass, (byte) command});
        driver.put(answer, new byte[] {(byte) 0x55});
        driver.descriptor(2, 0, header, 2, GuestDriver.F_NEXT, 1);
        driver.descriptor(2, 1, answer, 1, GuestDriver.F_WRITE, 0);
        driver.offer(2, 0);
        assertArrayEquals(new long[] {0, 1}, driver.takeUsed(2));
        return driver.bytes(answer, 1)[0];
    }

    @Test
    void framesCrossOneSwitchBetweenTwoGuests() throws InterruptedException {
        Guest a = new Guest(here, "a", options("switch", "lan0", "mac", "52:54:00:00:00:0a"));
        Guest b = new Guest(here, "b", options("switch", "lan0", "mac", "52:54:00:00:00:0b"));
        byte[] ping = frame("ff:ff:ff:ff:ff:ff", "52:54:00:00:00:0a", "ping");
        a.send(ping);
        assertArrayEquals(ping, b.receive(false));
        assertNull(a.receive(false), "not echoed to the sender");

        byte[] pong = frame("52:54:00:00:00:0a", "52:54:00:00:00:0b", "pong");
        b.send(pong);
        assertArrayEquals(pong, a.receive(false));
        assertTrue(here.all().getFirst().macTable().keySet().toString().contains("52:54:00:00:00:0b"));
    }

    @Test
    void framesArrivingBeforeBuffersArePostedWaitInTheBacklog() throws InterruptedException {
        Guest a = new Guest(here, "a", options("switch", "lan1"));
        SegmentMemory memory = new SegmentMemory(GuestDriver.RAM, 1 << 20);
        Device late = new VirtioNetFactory(here).create(new TestContext(memory, options("switch", "lan1")));
        byte[] hello = frame("ff:ff:ff:ff:ff:ff", a.mac(), "early");
        a.send(hello);
        GuestDriver driver = new GuestDriver(late, memory);
        driver.start(FEATURES, 2);
        driver.descriptor(0, 0, RX_BUFFERS, RX_BUFFER_SIZE, GuestDriver.F_WRITE, 0);
        driver.offer(0, 0);
        long[] used = driver.takeUsed(0);
        assertNotNull(used);
        assertArrayEquals(hello, Arrays.copyOfRange(driver.bytes(RX_BUFFERS, (int) used[1]), 12, (int) used[1]));
    }

    /** Without VERSION_1 (and without MRG_RXBUF) virtio_net_hdr has no num_buffers: 10 bytes each way. */
    @Test
    void legacyNicUsesTheTenByteHeader() throws InterruptedException {
        Guest modern = new Guest(here, "a", options("switch", "lan2", "mac", "52:54:00:00:00:0a"));
        SegmentMemory memory = new SegmentMemory(GuestDriver.RAM, 1 << 20);
        Device nic = new VirtioNetFactory(here).create(new TestContext("b", memory,
                options("switch", "lan2", "mac", "52:54:00:00:00:0b", "legacy", "on")));
        GuestDriver legacy = new GuestDriver(nic, memory);
        assertEquals(1, legacy.reg(0x004));
        legacy.startLegacy(VirtioNet.F_MAC | VirtioNet.F_STATUS, 2);
        memory.write(RX_BUFFERS, new byte[RX_BUFFER_SIZE], 0, RX_BUFFER_SIZE);
        legacy.descriptor(0, 0, RX_BUFFERS, RX_BUFFER_SIZE, GuestDriver.F_WRITE, 0);
        legacy.offer(0, 0);

        byte[] ping = frame("52:54:00:00:00:0b", "52:54:00:00:00:0a", "to legacy");
        modern.send(ping);
        long[] used = legacy.takeUsed(0);
        assertNotNull(used);
        assertEquals(VirtioNet.LEGACY_HEADER + ping.length, used[1]);
        assertArrayEquals(new byte[VirtioNet.LEGACY_HEADER], legacy.bytes(RX_BUFFERS, VirtioNet.LEGACY_HEADER));
        assertArrayEquals(ping, legacy.bytes(RX_BUFFERS + VirtioNet.LEGACY_HEADER, ping.length));

        byte[] pong = frame("52:54:00:00:00:0a", "52:54:00:00:00:0b", "from legacy");
        legacy.put(TX_BUFFER, new byte[VirtioNet.LEGACY_HEADER]);
        legacy.put(TX_BUFFER + VirtioNet.LEGACY_HEADER, pong);
        legacy.descriptor(1, 0, TX_BUFFER, VirtioNet.LEGACY_HEADER + pong.length, 0, 0);
        legacy.offer(1, 0);
        assertArrayEquals(new long[] {0, 0}, legacy.takeUsed(1));
        assertArrayEquals(pong, modern.receive(false));
    }

    @Test
    void framesCrossAUdpLinkBetweenTwoProcessesSwitches() throws Exception {
        int portHere = freePort();
        int portThere = freePort();
        Guest a = new Guest(here, "a", options("switch", "lan0", "mac", "52:54:00:00:00:0a",
                "udp", "127.0.0.1:" + portHere, "peer", "127.0.0.1:" + portThere));
        Guest b = new Guest(there, "b", options("switch", "lan0", "mac", "52:54:00:00:00:0b",
                "udp", "127.0.0.1:" + portThere, "peer", "127.0.0.1:" + portHere));
        byte[] ping = frame("ff:ff:ff:ff:ff:ff", "52:54:00:00:00:0a", "over udp");
        a.send(ping);
        assertArrayEquals(ping, b.receive(true));
        byte[] pong = frame("52:54:00:00:00:0a", "52:54:00:00:00:0b", "back");
        b.send(pong);
        assertArrayEquals(pong, a.receive(true));
    }

    @Test
    void badNicOptionsAreOneLineErrorsAndLinkNothing() throws SocketException {
        SegmentMemory memory = new SegmentMemory(GuestDriver.RAM, 1 << 20);
        VirtioNetFactory factory = new VirtioNetFactory(here);
        assertEquals("--nic: switch=NAME is required", assertThrows(IllegalArgumentException.class,
                () -> factory.create(new TestContext(memory, options()))).getMessage());
        assertEquals("--nic: unknown option 'model' (known: switch, mac, udp, peer, legacy)",
                assertThrows(IllegalArgumentException.class,
                        () -> factory.create(new TestContext(memory, options("switch", "x", "model", "e1000"))))
                        .getMessage());
        assertEquals("--nic: udp=HOST:PORT and peer=HOST:PORT go together", assertThrows(IllegalArgumentException.class,
                () -> factory.create(new TestContext(memory, options("switch", "x", "udp", "127.0.0.1:1"))))
                .getMessage());
        assertEquals("--nic legacy=perhaps: expected on or off", assertThrows(IllegalArgumentException.class,
                () -> factory.create(new TestContext(memory, options("switch", "x", "legacy", "perhaps"))))
                .getMessage());
        assertEquals("--nic peer=nowhere: expected HOST:PORT such as 127.0.0.1:7001",
                assertThrows(IllegalArgumentException.class, () -> factory.create(new TestContext(memory,
                        options("switch", "x", "udp", "127.0.0.1:1", "peer", "nowhere")))).getMessage());
        try (DatagramSocket taken = new DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
            String local = "127.0.0.1:" + taken.getLocalPort();
            String message = assertThrows(IllegalArgumentException.class, () -> factory.create(new TestContext(memory,
                    options("switch", "x", "udp", local, "peer", "127.0.0.1:9")))).getMessage();
            assertTrue(message.startsWith("udp " + local + ": cannot bind"), message);
        }
        assertEquals(0, here.all().stream().mapToLong(network -> network.ports().size()).sum());
    }

    private static int freePort() throws SocketException {
        try (DatagramSocket socket = new DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
