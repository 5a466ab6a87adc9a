package io.pogo.cpu;

import java.util.Arrays;

/**
 * A direct-mapped TLB for one translation regime. Each entry maps a virtual page to its offset in guest RAM, with
 * one tag per access type: a tag only matches when that access is allowed, so the fast path is a single compare.
 * A write tag carrying {@link #CODE} never matches: stores to pages with decoded code take the slow path, which
 * tells the code cache, and so do stores to pages that dirty-page tracking still counts as clean.
 */
final class Tlb {
    static final int ENTRIES = 256;
    static final long PAGE_MASK = ~0xFFFL;
    /** Never set in a page address, so a tag carrying it never matches a fast-path compare. */
    static final long CODE = 0x800;
    private static final long INVALID = -1;

    final long[] readTag = new long[ENTRIES];
    final long[] writeTag = new long[ENTRIES];
    final long[] executeTag = new long[ENTRIES];
    /** Offset of the page in the guest RAM segment. */
    final long[] ramOffset = new long[ENTRIES];
    /** The virtual page each entry maps, and the offset bits of the leaf it came from (superpages are cached
     *  4 KiB at a time, so one leaf may fill many entries). */
    private final long[] virtualPage = new long[ENTRIES];
    private final long[] leafOffsetMask = new long[ENTRIES];

    Tlb() {
        flush();
    }

    static int index(long virtualAddress) {
        return (int) (virtualAddress >>> 12) & (ENTRIES - 1);
    }

    void flush() {
        Arrays.fill(readTag, INVALID);
        Arrays.fill(writeTag, INVALID);
        Arrays.fill(executeTag, INVALID);
    }

    void fill(long virtualAddress, long pageRamOffset, int permissions, boolean storesTakeSlowPath,
              long leafOffsetMask) {
        int index = index(virtualAddress);
        long tag = virtualAddress & PAGE_MASK;
        virtualPage[index] = tag;
        this.leafOffsetMask[index] = leafOffsetMask;
        readTag[index] = (permissions & Mmu.READ_OK) != 0 ? tag : INVALID;
        writeTag[index] = (permissions & Mmu.WRITE_OK) != 0 ? (storesTakeSlowPath ? tag | CODE : tag) : INVALID;
        executeTag[index] = (permissions & Mmu.EXECUTE_OK) != 0 ? tag : INVALID;
        ramOffset[index] = pageRamOffset;
    }

    /** Drops every entry filled from the leaf that mapped {@code virtualAddress} (SFENCE.VMA with an address). */
    void flushLeaf(long virtualAddress) {
        for (int i = 0; i < ENTRIES; i++) {
            if (((virtualPage[i] ^ virtualAddress) & ~leafOffsetMask[i]) == 0) {
                readTag[i] = INVALID;
                writeTag[i] = INVALID;
                executeTag[i] = INVALID;
            }
        }
    }

    /** Sends future stores to this RAM page through the slow path, because code on it has been decoded. */
    void protectCode(long pageRamOffset) {
        for (int i = 0; i < ENTRIES; i++) {
            if (writeTag[i] != INVALID && ramOffset[i] == pageRamOffset) {
                writeTag[i] |= CODE;
            }
        }
    }
}
