package io.pogo.dispatcher.snapshot;

import java.nio.charset.StandardCharsets;

/**
 * The layout of a snapshot file (all numbers big-endian):
 * <pre>
 * header   "POGOSNAP", u32 format version
 * body     the VM's configuration, its timebase, each hart, each device (a state record each), then guest RAM:
 *          for every 64 KiB chunk that is not all zero: u64 offset, u32 length, u32 compressed length and the
 *          chunk compressed with zstd; an offset of -1 ends it
 * trailer  u64 body length, u32 CRC32C of the body, "POGO-END"
 * </pre>
 * A chunk that was never touched reads as zero, so on-demand RAM costs the file only what the guest touched.
 */
final class SnapshotFormat {

    static final byte[] MAGIC = "POGOSNAP".getBytes(StandardCharsets.US_ASCII);
    static final byte[] END = "POGO-END".getBytes(StandardCharsets.US_ASCII);
    static final int VERSION = 1;
    static final int HEADER_BYTES = MAGIC.length + 4;
    static final int TRAILER_BYTES = 8 + 4 + END.length;
    static final int CHUNK = 64 << 10;
    static final long LAST_CHUNK = -1;
    /** zstd's fastest level: a snapshot should take well under a second, and RAM compresses well even so. */
    static final int COMPRESSION_LEVEL = 1;

    private SnapshotFormat() {
    }
}
