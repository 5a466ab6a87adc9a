package io.pogo.net;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class VirtualSwitchTest {

    private record Recorder(String describe, List<String> frames) implements SwitchPort {
        Recorder(String name) {
            this(name, new ArrayList<>());
        }

        @Override
        public void deliver(byte[] frame) {
            frames.add(HexFormat.of().formatHex(frame, 0, 12));
        }
    }

    private static byte[] frame(String destination, String source) {
        byte[] frame = new byte[60];
        System.arraycopy(MacAddressTest.bytes(destination), 0, frame, 0, 6);
        System.arraycopy(MacAddressTest.bytes(source), 0, frame, 6, 6);
        return frame;
    }

    private final VirtualSwitch lan = new VirtualSwitch("lan0");
    private final Recorder a = new Recorder("a");
    private final Recorder b = new Recorder("b");
    private final Recorder c = new Recorder("c");

    {
        lan.attach(a);
        lan.attach(b);
        lan.attach(c);
    }

    @Test
    void floodsUnknownAndBroadcastThenSendsLearnedAddressesToOnePort() {
        lan.forward(a, frame("52:54:00:00:00:0b", "52:54:00:00:00:0a"));
        assertEquals(1, b.frames().size());
        assertEquals(1, c.frames().size());
        assertEquals(0, a.frames().size(), "never back to the sender");

        lan.forward(b, frame("ff:ff:ff:ff:ff:ff", "52:54:00:00:00:0b"));
        assertEquals(1, a.frames().size());
        assertEquals(2, c.frames().size());

        lan.forward(c, frame("52:54:00:00:00:0a", "52:54:00:00:00:0c"));
        assertEquals(List.of("52540000000b52540000000a", "ffffffffffff52540000000b", "52540000000a52540000000c"),
                List.of(b.frames().getFirst(), a.frames().getFirst(), a.frames().get(1)));
        assertEquals(1, b.frames().size(), "known destination: only its port");
        assertEquals("{52:54:00:00:00:0a=" + a + ", 52:54:00:00:00:0b=" + b + ", 52:54:00:00:00:0c=" + c + "}",
                lan.macTable().toString());
    }

    @Test
    void detachedPortsAreForgottenAndRuntsDropped() {
        lan.forward(a, frame("52:54:00:00:00:0b", "52:54:00:00:00:0a"));
        lan.detach(a);
        assertEquals(0, lan.macTable().size());
        lan.forward(b, frame("52:54:00:00:00:0a", "52:54:00:00:00:0b"));
        assertEquals(0, a.frames().size());
        assertEquals(2, c.frames().size(), "unknown again: flooded");
        lan.forward(b, new byte[13]);
        assertEquals(2, c.frames().size());
    }
}
