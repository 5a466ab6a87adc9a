package io.pogo.gdb;

import java.nio.charset.StandardCharsets;

/** The protocol's hexadecimal: numbers most significant digit first, register values and memory byte by byte. */
final class Hex {
    private static final char[] DIGITS = "0123456789abcdef".toCharArray();
    /** At most 16 digits: a number of the protocol fits in 64 bits. */
    private static final int MAX_DIGITS = 16;

    private Hex() {
    }

    /** An unsigned number of 1 to 16 hex digits. */
    static long number(String text) {
        if (text.isEmpty() || text.length() > MAX_DIGITS) {
            throw new MalformedPacket("not a hex number: '" + text + "'");
        }
        long value = 0;
        for (int i = 0; i < text.length(); i++) {
            value = value << 4 | digit(text.charAt(i));
        }
        return value;
    }

    /** A number that must fit in an int, such as a length or a register number. */
    static int smallNumber(String text, int max) {
        long value = number(text);
        if (value < 0 || value > max) {
            throw new MalformedPacket("out of range: " + text);
        }
        return (int) value;
    }

    static int digit(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        throw new MalformedPacket("not a hex digit: '" + c + "'");
    }

    static String of(long value) {
        return Long.toHexString(value);
    }

    static String bytes(byte[] data) {
        StringBuilder out = new StringBuilder(data.length * 2);
        for (byte b : data) {
            out.append(DIGITS[(b >> 4) & 0xF]).append(DIGITS[b & 0xF]);
        }
        return out.toString();
    }

    static byte[] toBytes(String text) {
        if (text.length() % 2 != 0) {
            throw new MalformedPacket("odd number of hex digits");
        }
        byte[] data = new byte[text.length() / 2];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (digit(text.charAt(2 * i)) << 4 | digit(text.charAt(2 * i + 1)));
        }
        return data;
    }

    /** A 64-bit register as the target stores it: little-endian, 16 digits. */
    static String littleEndian(long value, int size) {
        StringBuilder out = new StringBuilder(size * 2);
        for (int i = 0; i < size; i++) {
            int b = (int) (value >>> (8 * i)) & 0xFF;
            out.append(DIGITS[b >> 4]).append(DIGITS[b & 0xF]);
        }
        return out.toString();
    }

    static long fromLittleEndian(String text) {
        byte[] data = toBytes(text);
        if (data.length == 0 || data.length > 8) {
            throw new MalformedPacket("a register value has 1 to 8 bytes");
        }
        long value = 0;
        for (int i = data.length - 1; i >= 0; i--) {
            value = value << 8 | (data[i] & 0xFF);
        }
        return value;
    }

    static String text(String ascii) {
        return bytes(ascii.getBytes(StandardCharsets.US_ASCII));
    }
}
