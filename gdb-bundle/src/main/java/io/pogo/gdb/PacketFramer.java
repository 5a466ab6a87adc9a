package io.pogo.gdb;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Cuts the byte stream from gdb into packets ({@code $payload#cs}), interrupts and acknowledgements. It keeps at most
 * {@link #MAX_PAYLOAD} bytes of a packet: a longer one is read to its end and reported damaged, so no stream, however
 * long or random, makes it hold more. Bytes outside a packet that mean nothing are skipped; a '$' inside a packet
 * starts a new one, as QEMU's stub does.
 */
final class PacketFramer {
    /** The largest payload a packet may have: the PacketSize offered to gdb, and room for a packet's header. */
    static final int MAX_PAYLOAD = GdbSession.PACKET_SIZE + 64;

    private enum State { OUTSIDE, PAYLOAD, CHECKSUM_HIGH, CHECKSUM_LOW }

    private final Consumer<Inbound> sink;
    private final byte[] payload = new byte[MAX_PAYLOAD];
    private State state = State.OUTSIDE;
    private int length;
    private boolean overlong;
    private int sum;
    private int checksum;

    PacketFramer(Consumer<Inbound> sink) {
        this.sink = sink;
    }

    void accept(byte[] data, int count) {
        for (int i = 0; i < count; i++) {
            accept(data[i]);
        }
    }

    void accept(byte b) {
        int c = b & 0xFF;
        switch (state) {
            case OUTSIDE -> {
                switch (c) {
                    case '$' -> startPacket();
                    case 0x03 -> sink.accept(new Inbound.Interrupt());
                    case '+' -> sink.accept(new Inbound.Ack());
                    case '-' -> sink.accept(new Inbound.Nak());
                    default -> {
                    }
                }
            }
            case PAYLOAD -> {
                if (c == '#') {
                    state = State.CHECKSUM_HIGH;
                } else if (c == '$') {
                    startPacket();
                } else {
                    sum += c;
                    if (length < MAX_PAYLOAD) {
                        payload[length++] = b;
                    } else {
                        overlong = true;
                    }
                }
            }
            case CHECKSUM_HIGH -> {
                int digit = Character.digit(c, 16);
                if (digit < 0) {
                    damaged("checksum is not hex");
                } else {
                    checksum = digit << 4;
                    state = State.CHECKSUM_LOW;
                }
            }
            case CHECKSUM_LOW -> {
                int digit = Character.digit(c, 16);
                if (digit < 0) {
                    damaged("checksum is not hex");
                } else if (overlong) {
                    damaged("packet longer than " + MAX_PAYLOAD + " bytes");
                } else if ((checksum | digit) != (sum & 0xFF)) {
                    damaged("checksum mismatch");
                } else {
                    state = State.OUTSIDE;
                    sink.accept(new Inbound.Packet(Arrays.copyOf(payload, length)));
                }
            }
        }
    }

    private void startPacket() {
        state = State.PAYLOAD;
        length = 0;
        sum = 0;
        overlong = false;
    }

    private void damaged(String why) {
        state = State.OUTSIDE;
        sink.accept(new Inbound.Damaged(why));
    }
}
