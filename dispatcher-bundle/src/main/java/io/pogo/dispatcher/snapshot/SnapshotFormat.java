package io.pogo.dispatcher.snapshot;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The layout of a snapshot file (all numbers big-endian):
 * <pre>
 * header   "POGOSNAP", u32 format version
 * body     the VM's configuration, its timebase, each hart, each device (a state record each), then guest RAM:
 *          for every 64 KiB chunk that is not all zero: u64 offset, u32 length, u32 compressed length and the
 *          chunk compressed with zstd; an offset of -1 ends it
 * trailer  u64 body length, u32 CRC32C of the body, "POGO-END"
 * </pre>
 * Only pages the host backs are read, and a chunk whose pages are all zero is left out, so on-demand RAM costs the
 * file only what the guest touched; a restore writes only the pages that are not all zero, so the restored VM is
 * backed no further than the one that was saved.
 */
final class SnapshotFormat {

    static final byte[] MAGIC = "POGOSNAP".getBytes(StandardCharsets.US_ASCII);
    static final byte[] END = "POGO-END".getBytes(StandardCharsets.US_ASCII);
    static final int VERSION = 1;
    static final int HEADER_BYTES = MAGIC.length + 4;
    static final int TRAILER_BYTES = 8 + 4 + END.length;
    static final int CHUNK = 64 << 10;
    /** The unit of RAM the host backs, and the one a restore skips when it is all zero. */
    static final int PAGE = 4096;
    static final long LAST_CHUNK = -1;
    /** zstd's fastest level: a snapshot should take well under a second, and RAM compresses well even so. */
    static final int COMPRESSION_LEVEL = 1;

    private static final byte[] ZERO_PAGE = new byte[PAGE];

    private SnapshotFormat() {
    }

    /** Whether the page at {@code offset} in {@code chunk} (or what is left of the chunk) is all zero. */
    static boolean zeroPage(byte[] chunk, int offset, int length) {
        int end = Math.min(offset + PAGE, length);
        return Arrays.equals(chunk, offset, end, ZERO_PAGE, 0, end - offset);
    }

    /** The bytes of the pages in {@code chunk}'s first {@code length} bytes that are not all zero. */
    static long nonZeroPageBytes(byte[] chunk, int length) {
        long bytes = 0;
        for (int offset = 0; offset < length; offset += PAGE) {
            bytes += zeroPage(chunk, offset, length) ? 0 : Math.min(PAGE, length - offset);
        }
        return bytes;
    }
}
