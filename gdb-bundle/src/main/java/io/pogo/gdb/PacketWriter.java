package io.pogo.gdb;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Frames replies for gdb: {@code $payload#cs}; binary payloads (qXfer) escape what would end or garble a frame. */
final class PacketWriter {

    private PacketWriter() {
    }

    static byte[] frame(String payload) {
        return frame(payload.getBytes(StandardCharsets.ISO_8859_1), false);
    }

    /** A reply whose data is binary: '$', '#', '}' and '*' are sent as '}' and the byte XOR 0x20. */
    static byte[] frameBinary(byte[] payload) {
        return frame(payload, true);
    }

    private static byte[] frame(byte[] payload, boolean escape) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(payload.length + 8);
        out.write('$');
        int sum = 0;
        for (byte b : payload) {
            if (escape && (b == '$' || b == '#' || b == '}' || b == '*')) {
                out.write('}');
                sum += '}';
                b ^= 0x20;
            }
            out.write(b);
            sum += b & 0xFF;
        }
        out.write('#');
        out.writeBytes(String.format("%02x", sum & 0xFF).getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    /** Undoes the binary escapes of an X packet's data. */
    static byte[] unescape(byte[] data, int from) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(data.length - from);
        for (int i = from; i < data.length; i++) {
            if (data[i] == '}') {
                if (++i == data.length) {
                    throw new MalformedPacket("binary data ends in an escape");
                }
                out.write(data[i] ^ 0x20);
            } else {
                out.write(data[i]);
            }
        }
        return out.toByteArray();
    }
}
