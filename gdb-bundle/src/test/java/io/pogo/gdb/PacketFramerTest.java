package io.pogo.gdb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** Framing what gdb sends, whatever it sends. */
class PacketFramerTest {

    private static List<Inbound> frame(byte[] stream) {
        List<Inbound> framed = new ArrayList<>();
        new PacketFramer(framed::add).accept(stream, stream.length);
        return framed;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void packetsInterruptsAndAcknowledgementsComeApart() {
        List<Inbound> framed = frame(bytes("+$g#67\u0003-junk$m0,4#fd"));
        assertEquals(5, framed.size());
        assertInstanceOf(Inbound.Ack.class, framed.get(0));
        assertArrayEquals(bytes("g"), ((Inbound.Packet) framed.get(1)).payload());
        assertInstanceOf(Inbound.Interrupt.class, framed.get(2));
        assertInstanceOf(Inbound.Nak.class, framed.get(3));
        assertArrayEquals(bytes("m0,4"), ((Inbound.Packet) framed.get(4)).payload());
    }

    @Test
    void aWrongChecksumAnOverlongPacketAndAStrayDollarAreDamagedOrRestarted() {
        assertInstanceOf(Inbound.Damaged.class, frame(bytes("$g#00")).getFirst());
        assertInstanceOf(Inbound.Damaged.class, frame(bytes("$g#x7")).getFirst());
        assertInstanceOf(Inbound.Damaged.class, frame(PacketWriter.frame("m" + "0".repeat(PacketFramer.MAX_PAYLOAD)))
                .getFirst());
        List<Inbound> restarted = frame(bytes("$garbage$g#67"));
        assertEquals(1, restarted.size());
        assertArrayEquals(bytes("g"), ((Inbound.Packet) restarted.getFirst()).payload());
    }

    @Test
    void binaryRepliesAreEscapedAndXDataUnescaped() {
        byte[] data = {'$', '#', '}', '*', 0, (byte) 0xFF};
        byte[] framed = PacketWriter.frameBinary(data);
        Inbound.Packet packet = (Inbound.Packet) frame(framed).getFirst();
        assertArrayEquals(data, PacketWriter.unescape(packet.payload(), 0));
    }

    /** Any byte stream: nothing thrown, no packet longer than a packet may be, and a good packet after it gets through. */
    @Property(tries = 300)
    void anyStreamIsFramedWithoutFailingAndTheNextGoodPacketGetsThrough(@ForAll @Size(max = 40_000) byte[] noise) {
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        stream.writeBytes(noise);
        stream.writeBytes(bytes("#00"));
        stream.writeBytes(PacketWriter.frame("qAttached"));
        List<Inbound> framed = frame(stream.toByteArray());
        for (Inbound each : framed) {
            if (each instanceof Inbound.Packet packet) {
                assertTrue(packet.payload().length <= PacketFramer.MAX_PAYLOAD);
            }
        }
        assertArrayEquals(bytes("qAttached"), ((Inbound.Packet) framed.getLast()).payload());
    }
}
