package io.pogo.virtio;

/** A device-specific configuration space held as bytes, read as the little-endian fields drivers access. */
public final class ConfigSpace {

    private ConfigSpace() {
    }

    /** {@code size} bytes at {@code offset}, little-endian; bytes past the end read as zero. */
    public static long read(byte[] config, int offset, int size) {
        long value = 0;
        for (int i = size - 1; i >= 0; i--) {
            int at = offset + i;
            value = value << 8 | (at >= 0 && at < config.length ? config[at] & 0xff : 0);
        }
        return value;
    }
}
