package io.pogo.net;

import java.util.HexFormat;

/** A 48-bit Ethernet address. */
record MacAddress(long bits) {

    static final MacAddress BROADCAST = new MacAddress(0xffff_ffff_ffffL);
    /** QEMU's locally administered prefix for guest NICs. */
    private static final long QEMU_PREFIX = 0x52_54_00L << 24;

    MacAddress {
        bits &= 0xffff_ffff_ffffL;
    }

    /** Parses {@code 52:54:00:12:34:56}; throws IllegalArgumentException otherwise. */
    static MacAddress parse(String text) {
        String[] parts = text.split(":");
        if (parts.length != 6) {
            throw new IllegalArgumentException("mac=" + text + ": expected six hex bytes such as 52:54:00:12:34:56");
        }
        long bits = 0;
        for (String part : parts) {
            if (part.length() != 2 || !HexFormat.isHexDigit(part.charAt(0)) || !HexFormat.isHexDigit(part.charAt(1))) {
                throw new IllegalArgumentException("mac=" + text
                        + ": expected six hex bytes such as 52:54:00:12:34:56");
            }
            bits = bits << 8 | HexFormat.fromHexDigits(part);
        }
        MacAddress mac = new MacAddress(bits);
        if (mac.isMulticast()) {
            throw new IllegalArgumentException("mac=" + text + ": a NIC needs a unicast address (even first byte)");
        }
        return mac;
    }

    /** A QEMU-style address (52:54:00:xx:xx:xx) derived from {@code seed}: the same seed, the same address. */
    static MacAddress derived(String seed) {
        int hash = seed.hashCode() * 0x9e37_79b9;
        return new MacAddress(QEMU_PREFIX | (hash >>> 8) & 0xff_ffff);
    }

    /** The destination (offset 0) or source (offset 6) address of a frame. */
    static MacAddress of(byte[] frame, int offset) {
        long bits = 0;
        for (int i = 0; i < 6; i++) {
            bits = bits << 8 | frame[offset + i] & 0xff;
        }
        return new MacAddress(bits);
    }

    /** Group addresses, broadcast included, have the low bit of the first byte set. */
    boolean isMulticast() {
        return (bits >>> 40 & 1) != 0;
    }

    byte[] bytes() {
        byte[] bytes = new byte[6];
        for (int i = 0; i < 6; i++) {
            bytes[i] = (byte) (bits >>> (8 * (5 - i)));
        }
        return bytes;
    }

    @Override
    public String toString() {
        return HexFormat.ofDelimiter(":").formatHex(bytes());
    }
}
