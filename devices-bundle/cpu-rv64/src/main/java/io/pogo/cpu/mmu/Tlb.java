package io.pogo.cpu.mmu;

/**
 * A direct-mapped TLB for one translation regime. Each entry maps a virtual page to its offset in the host space
 * guest RAM is a slice of ({@link Mmu#hostSpace}), with one tag per access type: a tag only matches when that
 * access is allowed, so the fast path is a single compare.
 * A write tag carrying {@link #CODE} never matches: stores to pages with decoded code take the slow path, which
 * tells the code cache, and so do stores to pages that dirty-page tracking still counts as clean.
 */
public final class Tlb {
    public static final int ENTRIES = 256;
    public static final long PAGE_MASK = ~0xFFFL;
    /** Never set in a page address, so a tag carrying it never matches a fast-path compare. */
    static final long CODE = 0x800;
    /**
     * Where an entry's fields sit in {@link #entries}, from its {@link #slot}: one array, so a lookup loads one
     * array reference and its length, not one for each field it reads.
     */
    public static final int READ_TAG = 0;
    public static final int WRITE_TAG = 1;
    static final int EXECUTE_TAG = 2;
    /**
     * Offset of the page in the host space: inside this VM's RAM, as only {@link #fill} for a page of it writes one,
     * which keeps the VMs sharing the space apart.
     */
    public static final int RAM_OFFSET = 3;
    private static final int FIELDS_LOG2 = 2;
    private static final long INVALID = -1;

    /** Each entry's read, write and execute tags and RAM offset, {@code 1 << FIELDS_LOG2} longs an entry. */
    public final long[] entries = new long[ENTRIES << FIELDS_LOG2];
    /** The virtual page each entry maps, and the offset bits of the leaf it came from (superpages are cached
     *  4 KiB at a time, so one leaf may fill many entries). */
    private final long[] virtualPage = new long[ENTRIES];
    private final long[] leafOffsetMask = new long[ENTRIES];

    Tlb() {
        flush();
    }

    /** The index in {@link #entries} of the entry for {@code virtualAddress}'s page. */
    public static int slot(long virtualAddress) {
        return ((int) (virtualAddress >>> 12) & (ENTRIES - 1)) << FIELDS_LOG2;
    }

    /**
     * The host-space offset of the page {@code maskedAddress} is in, if its entry allows the access whose tag is at
     * {@code tag}; else -1. The address keeps the page and the access's alignment bits, so a misaligned one misses.
     */
    public long hostOffset(long maskedAddress, int tag) {
        int slot = slot(maskedAddress);
        return entries[slot + tag] == maskedAddress ? entries[slot + RAM_OFFSET] : -1;
    }

    /**
     * The offset bits of the leaf the entry for {@code virtualAddress}'s page was filled from, if that entry maps
     * the page for instruction fetch; else -1, as if one leaf mapped every address.
     */
    long fetchLeafOffsetMask(long virtualAddress) {
        int slot = slot(virtualAddress);
        return entries[slot + EXECUTE_TAG] == (virtualAddress & PAGE_MASK)
                ? leafOffsetMask[slot >>> FIELDS_LOG2] : -1;
    }

    void flush() {
        for (int i = 0; i < ENTRIES; i++) {
            invalidate(i << FIELDS_LOG2);
        }
    }

    void fill(long virtualAddress, long pageSpaceOffset, int permissions, boolean storesTakeSlowPath,
              long leafOffsetMask) {
        int slot = slot(virtualAddress);
        long tag = virtualAddress & PAGE_MASK;
        virtualPage[slot >>> FIELDS_LOG2] = tag;
        this.leafOffsetMask[slot >>> FIELDS_LOG2] = leafOffsetMask;
        entries[slot + READ_TAG] = (permissions & Mmu.READ_OK) != 0 ? tag : INVALID;
        entries[slot + WRITE_TAG] = (permissions & Mmu.WRITE_OK) != 0 ? (storesTakeSlowPath ? tag | CODE : tag)
                : INVALID;
        entries[slot + EXECUTE_TAG] = (permissions & Mmu.EXECUTE_OK) != 0 ? tag : INVALID;
        entries[slot + RAM_OFFSET] = pageSpaceOffset;
    }

    /** Drops every entry filled from the leaf that mapped {@code virtualAddress} (SFENCE.VMA with an address). */
    void flushLeaf(long virtualAddress) {
        for (int i = 0; i < ENTRIES; i++) {
            if (((virtualPage[i] ^ virtualAddress) & ~leafOffsetMask[i]) == 0) {
                invalidate(i << FIELDS_LOG2);
            }
        }
    }

    /** Sends future stores to this page of the host space through the slow path: code on it has been decoded. */
    void protectCode(long pageSpaceOffset) {
        for (int slot = 0; slot < entries.length; slot += 1 << FIELDS_LOG2) {
            if (entries[slot + WRITE_TAG] != INVALID && entries[slot + RAM_OFFSET] == pageSpaceOffset) {
                entries[slot + WRITE_TAG] |= CODE;
            }
        }
    }

    private void invalidate(int slot) {
        entries[slot + READ_TAG] = INVALID;
        entries[slot + WRITE_TAG] = INVALID;
        entries[slot + EXECUTE_TAG] = INVALID;
    }
}
