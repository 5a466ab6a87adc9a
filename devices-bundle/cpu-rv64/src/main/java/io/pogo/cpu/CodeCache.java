package io.pogo.cpu;

import java.util.Arrays;

/**
 * Decoded blocks per guest-physical page of RAM, looked up by RAM offset. A store to bytes some block was decoded
 * from drops the whole page (self-modifying code); stores to data sharing the page do not. FENCE.I drops
 * everything, which also covers code written by other harts or by device DMA, as the architecture only promises
 * coherence after FENCE.I (the monitor's remote FENCE.I reaches here through {@link HartState#fenceInstructions}).
 *
 * <p>Every page, block and compiled region is charged to the VM's {@link CodeBudget} when it is created or taken
 * from {@link SharedTranslations}, in estimated bytes of host memory, and given back when it is dropped. Code that
 * does not fit flushes the VM's code first; dropped code is unreachable from this VM, so once no other VM uses it
 * either, the JVM collects it and unloads its compiled classes.
 */
final class CodeCache {
    private static final int MAX_INSTRUCTIONS = 2048;
    /** Bounds on a region's size before it is translated; the compiler cuts it further to what the JVM compiles. */
    private static final int MAX_REGION_BLOCKS = 64;
    private static final int MAX_REGION_INSTRUCTIONS = 512;
    private static final long NO_SUCCESSOR = Long.MIN_VALUE;

    private final Mmu mmu;
    private final CodePage[] pages;
    private final CodeBudget budget;
    private final SharedTranslations translations;
    /** The budget's generation this cache's code belongs to, and what that code is charged. */
    private long generation;
    private long held;
    private final long[] codeScratch = new long[MAX_INSTRUCTIONS];
    private final int[] rawScratch = new int[MAX_INSTRUCTIONS];
    private final int[] offsetScratch = new int[MAX_INSTRUCTIONS];
    private long epoch;

    /** The blocks decoded from one page, by halfword index, and one bit per halfword they were decoded from. */
    private static final class CodePage {
        /** Estimated host bytes of a page without its blocks: the object and its two arrays. */
        static final long FOOTPRINT = 8504;

        final Block[] blocks = new Block[2048];
        final long[] decoded = new long[2048 / 64];

        void markDecoded(int start, int end) {
            for (int halfword = start >>> 1; halfword < (end + 1) >>> 1; halfword++) {
                decoded[halfword >>> 6] |= 1L << halfword;
            }
        }

        boolean isDecoded(int start, int end) {
            for (int halfword = start >>> 1; halfword < (end + 1) >>> 1; halfword++) {
                if ((decoded[halfword >>> 6] & 1L << halfword) != 0) {
                    return true;
                }
            }
            return false;
        }

        long footprint() {
            long bytes = FOOTPRINT;
            for (Block block : blocks) {
                if (block != null) {
                    bytes += block.footprint();
                }
            }
            return bytes;
        }
    }

    CodeCache(Mmu mmu, long ramSize, CodeBudget budget, SharedTranslations translations) {
        this.mmu = mmu;
        this.pages = new CodePage[(int) (ramSize >>> 12)];
        this.budget = budget;
        this.translations = translations;
        this.generation = budget.generation();
    }

    /**
     * Changes whenever a block may have become stale or a pc may now translate elsewhere: code invalidation,
     * TLB flushes and mode changes. Block links from older epochs are ignored.
     */
    long epoch() {
        return epoch;
    }

    void invalidateLinks() {
        epoch++;
    }

    boolean hasCode(long pageRamOffset) {
        return pages[(int) (pageRamOffset >>> 12)] != null;
    }

    /** The block starting at {@code pc}; raises instruction page and access faults. */
    Block blockAt(long pc) {
        long offset = mmu.fetchOffset(pc);
        CodePage page = pages[(int) (offset >>> 12)];
        if (page != null) {
            Block block = page.blocks[(int) (offset & 0xFFF) >>> 1];
            if (block != null) {
                return block;
            }
        }
        return decode(pc, offset);
    }

    void stored(long ramOffset, int size) {
        int index = (int) (ramOffset >>> 12);
        CodePage page = pages[index];
        if (page != null) {
            int start = (int) (ramOffset & 0xFFF);
            if (page.isDecoded(start, Math.min(start + size, 0x1000))) {
                pages[index] = null;
                epoch++;
                long bytes = page.footprint();
                held -= bytes;
                budget.release(generation, bytes);
                releaseRegions(page);
            }
        }
    }

    /** Drops every block: FENCE.I, or the VM has stopped. */
    void flush() {
        budget.release(generation, held);
        // each page goes as soon as its regions are given back: a VM that failed for want of heap frees it at once
        for (int index = 0; index < pages.length; index++) {
            CodePage page = pages[index];
            if (page != null) {
                pages[index] = null;
                releaseRegions(page);
            }
        }
        drop();
    }

    private void releaseRegions(CodePage page) {
        for (Block block : page.blocks) {
            if (block != null && block.region != null) {
                budget.releaseRegion(generation, block.region, block.regionFootprint);
            }
        }
    }

    /** Drops the code another hart's full flush wrote off; checked once a quantum, so it costs nothing per block. */
    void dropIfFlushed() {
        if (generation != budget.generation()) {
            drop();
        }
    }

    /**
     * Compiles the region a hot block at {@code pc} enters on the vCPU's thread, for {@link JitMode#EAGER}, unless
     * a VM compiled the same code already, and charges its class to the budget.
     */
    void compile(Block entry, long pc, RegionCompiler compiler) {
        Region region = regionFrom(entry, pc);
        if (region == null) {
            return;
        }
        SharedTranslations.Key key = new SharedTranslations.Key(region);
        BackgroundCompiler.Ready shared = translations.find(key);
        if (shared == null) {
            RegionCompiler.Translation translation = compiler.translate(region);
            shared = translations.share(key, new BackgroundCompiler.Ready(compiler.load(translation),
                    RegionCompiler.footprint(translation.classFile())));
        }
        install(entry, shared);
    }

    /**
     * Installs the region a hot block at {@code pc} enters if a VM compiled the same code already, else queues it
     * for the background compiler; while the backlog is full, the block counts its executions again.
     */
    void submit(Block entry, long pc, BackgroundCompiler compiler) {
        Region region = regionFrom(entry, pc);
        if (region == null) {
            return;
        }
        SharedTranslations.Key key = new SharedTranslations.Key(region);
        BackgroundCompiler.Ready shared = translations.find(key);
        if (shared != null) {
            install(entry, shared);
        } else if (!compiler.submit(region, key, translations)) {
            entry.executions = 0;
        }
    }

    /** Charges and installs the region the background compiler made ready for {@code entry}. */
    void install(Block entry) {
        BackgroundCompiler.Ready ready = entry.ready;
        entry.ready = null;
        install(entry, ready);
    }

    /** Charges {@code ready}'s region to this VM's budget, once for all its blocks, and lets {@code entry} enter it. */
    private void install(Block entry, BackgroundCompiler.Ready ready) {
        if (budget.tryChargeRegion(generation, ready.region(), ready.footprint())) {
            entry.region = ready.region();
            entry.regionFootprint = ready.footprint();
        } else {
            flushForRoom();
        }
    }

    /**
     * The blocks of {@code entry}'s page that its branches and direct jumps reach, breadth first, as far as they
     * have been decoded already: code that has run at least once, never data that a guess would decode and then
     * drop the page for when it is written. Null if the entry is no longer cached at {@code pc}.
     */
    private Region regionFrom(Block entry, long pc) {
        long offset;
        try {
            offset = mmu.fetchOffset(pc);
        } catch (GuestException fetchFault) {
            return null;
        }
        CodePage page = pages[(int) (offset >>> 12)];
        int entryStart = (int) (offset & 0xFFF);
        if (page == null || page.blocks[entryStart >>> 1] != entry) {
            return null;
        }
        Block[] blocks = new Block[MAX_REGION_BLOCKS];
        long[] offsets = new long[MAX_REGION_BLOCKS];
        blocks[0] = entry;
        int count = 1;
        int instructions = entry.code.length;
        for (int k = 0; k < count; k++) {
            for (long successor : successors(blocks[k])) {
                int start = entryStart + (int) (offsets[k] + successor);
                if (successor == NO_SUCCESSOR || start < 0 || start >= 0x1000 || count == MAX_REGION_BLOCKS) {
                    continue;
                }
                Block block = page.blocks[start >>> 1];
                if (block == null || instructions + block.code.length > MAX_REGION_INSTRUCTIONS
                        || contains(offsets, count, start - entryStart)) {
                    continue;
                }
                blocks[count] = block;
                offsets[count] = start - entryStart;
                instructions += block.code.length;
                count++;
            }
        }
        return new Region(Arrays.copyOf(blocks, count), Arrays.copyOf(offsets, count), mmu.hostSpace);
    }

    private static boolean contains(long[] offsets, int count, long offset) {
        for (int k = 0; k < count; k++) {
            if (offsets[k] == offset) {
                return true;
            }
        }
        return false;
    }

    /** The byte offsets from a block's start that its end may continue at statically: branch and jump targets. */
    private static long[] successors(Block block) {
        long last = block.code[block.code.length - 1];
        long fallThrough = block.byteLength;
        return switch (Decoded.op(last)) {
            case Op.BEQ, Op.BNE, Op.BLT, Op.BGE, Op.BLTU, Op.BGEU -> new long[] {Decoded.imm(last), fallThrough};
            case Op.JAL -> new long[] {Decoded.imm(last), NO_SUCCESSOR};
            default -> new long[] {Op.endsBlock(Decoded.op(last)) ? NO_SUCCESSOR : fallThrough, NO_SUCCESSOR};
        };
    }

    private void drop() {
        Arrays.fill(pages, null);
        epoch++;
        held = 0;
        generation = budget.generation();
    }

    /** Charges new code; false if this cache had to drop its code instead (budget full, or flushed by another hart). */
    private boolean charge(long bytes) {
        if (budget.tryCharge(generation, bytes)) {
            held += bytes;
            return true;
        }
        flushForRoom();
        return false;
    }

    /** The budget is full, or another hart flushed it: drops this cache's code, and everyone's if still counted. */
    private void flushForRoom() {
        budget.flushAll(generation);
        drop();
    }

    private Block decode(long pc, long offset) {
        int pageEnd = 0x1000 - (int) (offset & 0xFFF);
        int count = 0;
        int position = 0;
        boolean crossesPage = false;
        while (position < pageEnd && count < MAX_INSTRUCTIONS) {
            int low = mmu.fetchHalfword(offset + position);
            int raw;
            int length;
            if ((low & 3) != 3) {
                raw = low;
                length = 2;
                codeScratch[count] = Decoder.decode(CompressedExpander.expand(low));
            } else {
                if (position + 2 >= pageEnd) {
                    if (count > 0) {
                        break;
                    }
                    crossesPage = true;
                }
                long highOffset = crossesPage ? mmu.fetchOffset(pc + 2) : offset + position + 2;
                raw = low | mmu.fetchHalfword(highOffset) << 16;
                length = 4;
                codeScratch[count] = Decoder.decode(raw);
            }
            codeScratch[count] = rebase(codeScratch[count], position);
            rawScratch[count] = raw;
            offsetScratch[count] = position;
            count++;
            position += length;
            if (Op.endsBlock(Decoded.op(codeScratch[count - 1])) || crossesPage) {
                break;
            }
        }
        Block block = new Block(Arrays.copyOf(codeScratch, count), Arrays.copyOf(rawScratch, count),
                Arrays.copyOf(offsetScratch, count), position, crossesPage);
        if (!crossesPage) {
            remember(offset, block);
        }
        return block;
    }

    /** Pc-relative immediates become relative to the block start. */
    private static long rebase(long decoded, int position) {
        return switch (Decoded.op(decoded)) {
            case Op.AUIPC, Op.JAL, Op.BEQ, Op.BNE, Op.BLT, Op.BGE, Op.BLTU, Op.BGEU ->
                    Decoded.withImm(decoded, Decoded.imm(decoded) + position);
            default -> decoded;
        };
    }

    private void remember(long offset, Block block) {
        int index = (int) (offset >>> 12);
        while (!charge(block.footprint() + (pages[index] == null ? CodePage.FOOTPRINT : 0))) {
            // the cache was flushed to make room: charge again, for the page too
        }
        CodePage page = pages[index];
        if (page == null) {
            page = new CodePage();
            pages[index] = page;
            mmu.protectCode(offset & Tlb.PAGE_MASK);
        }
        int start = (int) (offset & 0xFFF);
        page.blocks[start >>> 1] = block;
        page.markDecoded(start, start + block.byteLength);
    }
}
