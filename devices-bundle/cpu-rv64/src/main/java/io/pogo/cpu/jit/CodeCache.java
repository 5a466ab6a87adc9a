package io.pogo.cpu.jit;

import io.pogo.cpu.HartState;
import io.pogo.cpu.decode.CompressedExpander;
import io.pogo.cpu.decode.Decoded;
import io.pogo.cpu.decode.Decoder;
import io.pogo.cpu.decode.Op;
import io.pogo.cpu.mmu.Mmu;
import io.pogo.cpu.mmu.Tlb;
import io.pogo.cpu.trap.GuestException;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Decoded blocks per guest-physical page of RAM, looked up by RAM offset. A store to bytes some block was decoded
 * from drops the whole page (self-modifying code); stores to data sharing the page do not. Code written by other
 * harts or by device DMA is this hart's to see only after its FENCE.I, as the architecture promises no more (the
 * monitor's remote FENCE.I reaches here through {@link HartState#fenceInstructions}). After a FENCE.I, each page
 * is compared with an image of the bytes its blocks were decoded from before it runs again, and dropped if RAM no
 * longer holds them. Linux runs FENCE.I on every hart each time it maps a page of user code, hundreds of times a
 * boot: dropping all code each time had every hart decode its kernel code over and over, and comparing every page
 * at once costs more than comparing the few that run before the next FENCE.I.
 *
 * <p>Every page, block and compiled region is charged to the VM's {@link CodeBudget} when it is created or taken
 * from {@link SharedTranslations}, in estimated bytes of host memory, and given back when it is dropped. Code that
 * does not fit flushes the VM's code first; dropped code is unreachable from this VM, so once no other VM uses it
 * either, the JVM collects it and unloads its compiled classes.
 */
public final class CodeCache {
    private static final int MAX_INSTRUCTIONS = 2048;
    private static final int FETCHED_LEAVES = 16;
    /** Bounds on a region's size before it is translated; the compiler cuts it further to what the JVM compiles. */
    private static final int MAX_REGION_BLOCKS = 64;
    private static final int MAX_REGION_INSTRUCTIONS = 512;
    static final long NO_SUCCESSOR = Long.MIN_VALUE;
    public static final Duration TRIM_INTERVAL = Duration.ofSeconds(30);

    /*
     * Loads the JVM's class of segments over byte arrays, which CodePage.changedIn compares pages with, before any
     * guest code is compiled: while only native segments exist, the JVM compiles every access to guest RAM for
     * them alone, and the first FENCE.I that compared a page threw away every compiled region and the interpreter
     * at once (some 110 methods, seconds into a Linux boot), to compile them all again.
     */
    static {
        MemorySegment.ofArray(new byte[0]);
    }

    private final Mmu mmu;
    private final PageTable pages;
    private final JumpCache jumps = new JumpCache();
    private final CodeBudget budget;
    private final SharedTranslations translations;
    private final SharedCode shared;
    /** The budget's generation this cache's code belongs to, and what that code is charged. */
    private long generation;
    private long held;
    private final long[] codeScratch = new long[MAX_INSTRUCTIONS];
    private final int[] rawScratch = new int[MAX_INSTRUCTIONS];
    private final int[] offsetScratch = new int[MAX_INSTRUCTIONS];
    private long epoch;
    /** The greatest epoch so far; each invalidation takes a new one, greater than any before. */
    private long latestEpoch;
    /** The epoch of the latest invalidation: links and cached lookups of older epochs may be stale. */
    private long validFrom;
    /** By privilege level, the epoch the hart's instruction fetches in that mode last used. */
    private final long[] modeEpochs = {-1, -1, -1, -1};
    /**
     * The leaves, as virtual base and offset bits, that mapped the pcs looked up since the latest invalidation:
     * the translations that block links and the jump cache stand for. An SFENCE.VMA of an address none of them
     * covers leaves those alone. A Linux boot fences one address some 8000 times, nearly all of them data, and
     * each fence had every block look its successors up again.
     * When more leaves were looked up than the table holds, its last one covers every address.
     */
    private final long[] fetchedLeafBases = new long[FETCHED_LEAVES];
    private final long[] fetchedLeafMasks = new long[FETCHED_LEAVES];
    private int fetchedLeaves;
    /** FENCE.I instructions so far. */
    private long fences;
    private final long trimIntervalNanos;
    private long lastTrim = System.nanoTime();
    /**
     * {@link #trimUnused} passes so far: each block remembers the pass it was last looked up in. An int, as a pass
     * asks only whether a block was looked up since the last began: a wrapped count keeps an unused block one pass
     * longer.
     */
    private int trims;

    /**
     * The blocks decoded from one page, by halfword index, one bit per halfword they were decoded from, and those
     * halfwords as they were decoded (the image's other bytes mean nothing). The image starts as a copy of the page
     * when its first block was decoded, one that other harts whose pages held the same bytes share
     * ({@link SharedCode}), and is copied before it is first written. A page of code holds a few dozen blocks
     * among its 2048 halfwords, and a guest's stores drop pages by the thousand while Linux boots, so the blocks sit
     * in a small open-addressed table that doubles as it fills rather than an array of 2048 references: that array
     * was most of what the heap allocated, and the garbage the JVM promoted and kept.
     */
    private static final class CodePage {
        private static final int INITIAL_SLOTS = 16;
        /**
         * Estimated host bytes of a page without its blocks: the object, its decoded bits, its image (in full, though
         * it may be shared) and its initial table. Each block adds {@link #SLOT} for its share of the table, which
         * grows to keep at most half its slots used.
         */
        static final long FOOTPRINT = 24 + (16 + 8 * 32) + (16 + 0x1000) + 2 * (16 + 6 * INITIAL_SLOTS);
        static final long SLOT = 12;

        final long[] decoded = new long[2048 / 64];
        private byte[] image;
        private boolean imageShared = true;
        /** The {@link CodeCache#fences} count when RAM was last known to hold the decoded bytes. */
        long verifiedAt;
        /** Each used slot's halfword index plus one (0: free), and its block. */
        private short[] keys = new short[INITIAL_SLOTS];
        private Block[] blocks = new Block[INITIAL_SLOTS];
        private int count;

        CodePage(byte[] sharedImage) {
            image = sharedImage;
        }

        /** Records the bytes of this page {@code block}, decoded at {@code start}, was decoded from. */
        void remember(int start, Block block) {
            for (int k = 0; k < block.raw.length; k++) {
                int position = start + block.offsets[k];
                for (int b = 0; b < block.instructionLength(k) && position + b < 0x1000; b++) {
                    byte decodedByte = (byte) (block.raw[k] >>> (8 * b));
                    if (image[position + b] != decodedByte) {
                        writableImage()[position + b] = decodedByte;
                    }
                }
            }
            markDecoded(start, Math.min(start + block.byteLength, 0x1000));
        }

        private byte[] writableImage() {
            if (imageShared) {
                image = image.clone();
                imageShared = false;
            }
            return image;
        }

        /**
         * Whether some decoded byte differs in {@code ram}'s page at {@code pageOffset}. A byte that differs but was
         * not decoded is copied into the image, so data written beside code is compared only once.
         */
        boolean changedIn(MemorySegment ram, long pageOffset) {
            MemorySegment decodedImage = MemorySegment.ofArray(image);
            long from = 0;
            while (true) {
                long mismatch = MemorySegment.mismatch(ram, pageOffset + from, pageOffset + 0x1000, decodedImage,
                        from, 0x1000);
                if (mismatch < 0) {
                    return false;
                }
                int at = (int) (from + mismatch);
                if (isDecoded(at, at + 1)) {
                    return true;
                }
                writableImage()[at] = ram.get(ValueLayout.JAVA_BYTE, pageOffset + at);
                from = at + 1;
            }
        }

        Block block(int halfword) {
            int mask = keys.length - 1;
            for (int slot = hash(halfword) & mask; keys[slot] != 0; slot = (slot + 1) & mask) {
                if (keys[slot] == halfword + 1) {
                    return blocks[slot];
                }
            }
            return null;
        }

        void put(int halfword, Block block) {
            if (2 * (count + 1) > keys.length) {
                short[] oldKeys = keys;
                Block[] oldBlocks = blocks;
                keys = new short[2 * oldKeys.length];
                blocks = new Block[2 * oldKeys.length];
                count = 0;
                for (int slot = 0; slot < oldKeys.length; slot++) {
                    if (oldKeys[slot] != 0) {
                        insert(oldKeys[slot] - 1, oldBlocks[slot]);
                    }
                }
            }
            insert(halfword, block);
        }

        /**
         * Removes the blocks not looked up since trim pass {@code trim} began and returns them; the table shrinks to
         * fit the blocks kept. Their halfwords stay marked as decoded: a compiled region of a kept block may hold a
         * copy of a removed one, and a store to its bytes must still drop the page.
         */
        List<Block> removeUnused(int trim) {
            List<Block> unused = new ArrayList<>();
            short[] oldKeys = keys;
            Block[] oldBlocks = blocks;
            int kept = 0;
            for (int slot = 0; slot < oldKeys.length; slot++) {
                if (oldKeys[slot] != 0 && oldBlocks[slot].usedAt != trim) {
                    unused.add(oldBlocks[slot]);
                } else if (oldKeys[slot] != 0) {
                    kept++;
                }
            }
            if (unused.isEmpty()) {
                return unused;
            }
            int slots = INITIAL_SLOTS;
            while (2 * kept > slots) {
                slots *= 2;
            }
            keys = new short[slots];
            blocks = new Block[slots];
            count = 0;
            for (int slot = 0; slot < oldKeys.length; slot++) {
                if (oldKeys[slot] != 0 && oldBlocks[slot].usedAt == trim) {
                    insert(oldKeys[slot] - 1, oldBlocks[slot]);
                }
            }
            return unused;
        }

        boolean isEmpty() {
            return count == 0;
        }

        private void insert(int halfword, Block block) {
            int mask = keys.length - 1;
            int slot = hash(halfword) & mask;
            while (keys[slot] != 0 && keys[slot] != halfword + 1) {
                slot = (slot + 1) & mask;
            }
            if (keys[slot] == 0) {
                keys[slot] = (short) (halfword + 1);
                count++;
            }
            blocks[slot] = block;
        }

        /** Spreads neighbouring halfwords, where blocks start close together, over the table. */
        private static int hash(int halfword) {
            return (halfword * 0x9E3779B1) >>> 20;
        }

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

        void forgetSuccessors() {
            for (Block block : blocks) {
                if (block != null) {
                    block.forgetSuccessors();
                }
            }
        }

        long footprint() {
            long bytes = FOOTPRINT;
            for (Block block : blocks) {
                if (block != null) {
                    bytes += SLOT + block.footprint();
                }
            }
            return bytes;
        }
    }

    /**
     * The code pages by RAM page index, in leaves of 512 made when one of their pages first holds code: most of a
     * VM's RAM never does, and one array for every page of a 256 MiB guest took 256 KiB per hart, idle or not.
     */
    private static final class PageTable {
        private static final int LEAF_BITS = 9;
        private static final int LEAF_MASK = (1 << LEAF_BITS) - 1;
        private final CodePage[][] leaves;
        private final int size;

        PageTable(long ramSize) {
            size = (int) (ramSize >>> 12);
            leaves = new CodePage[(size + LEAF_MASK) >>> LEAF_BITS][];
        }

        int size() {
            return size;
        }

        CodePage get(int index) {
            CodePage[] leaf = leaves[index >>> LEAF_BITS];
            return leaf == null ? null : leaf[index & LEAF_MASK];
        }

        /**
         * The first index from {@code from} on whose page holds code, else {@link #size}: a pass over the code
         * pages skips the leaves never made instead of looking at each of a 256 MiB guest's 65,536 pages.
         */
        int nextHoldingCode(int from) {
            int index = from;
            while (index < size) {
                CodePage[] leaf = leaves[index >>> LEAF_BITS];
                if (leaf == null) {
                    index = (index | LEAF_MASK) + 1;
                } else if (leaf[index & LEAF_MASK] == null) {
                    index++;
                } else {
                    return index;
                }
            }
            return size;
        }

        void put(int index, CodePage page) {
            CodePage[] leaf = leaves[index >>> LEAF_BITS];
            if (leaf == null) {
                leaf = new CodePage[1 << LEAF_BITS];
                leaves[index >>> LEAF_BITS] = leaf;
            }
            leaf[index & LEAF_MASK] = page;
        }

        void remove(int index) {
            CodePage[] leaf = leaves[index >>> LEAF_BITS];
            if (leaf != null) {
                leaf[index & LEAF_MASK] = null;
            }
        }

        void clear() {
            Arrays.fill(leaves, null);
        }
    }

    public CodeCache(Mmu mmu, long ramSize, CodeBudget budget, Duration trimInterval, SharedTranslations translations,
                     SharedCode shared) {
        this.mmu = mmu;
        this.pages = new PageTable(ramSize);
        this.budget = budget;
        this.trimIntervalNanos = trimInterval.toNanos();
        this.translations = translations;
        this.shared = shared;
        this.generation = budget.generation();
    }

    /**
     * Changes whenever a block may have become stale or a pc may now translate elsewhere: code invalidation, TLB
     * flushes and changes of the privilege mode instructions are fetched in. Block links of other epochs are ignored.
     */
    public long epoch() {
        return epoch;
    }

    /** Every block link and cached lookup may be stale, in every privilege mode. */
    public void invalidateLinks() {
        epoch = ++latestEpoch;
        validFrom = epoch;
        fetchedLeaves = 0;
    }

    /** Whether a link or the jump cache may rely on the leaf that maps {@code virtualAddress}. */
    public boolean linksRelyOn(long virtualAddress) {
        for (int k = fetchedLeaves - 1; k >= 0; k--) {
            if (((virtualAddress ^ fetchedLeafBases[k]) & ~fetchedLeafMasks[k]) == 0) {
                return true;
            }
        }
        return false;
    }

    /** Notes the leaf that maps {@code pc}, just fetched from, among those links rely on. */
    private void fetchedFrom(long pc) {
        if (linksRelyOn(pc)) {
            return;
        }
        long mask = fetchedLeaves < FETCHED_LEAVES ? mmu.fetchLeafOffsetMask(pc) : -1;
        int k = Math.min(fetchedLeaves, FETCHED_LEAVES - 1);
        fetchedLeafBases[k] = pc & ~mask;
        fetchedLeafMasks[k] = mask;
        fetchedLeaves = k + 1;
    }

    /**
     * Instructions are now fetched in privilege mode {@code to} instead of {@code from}: a pc may translate
     * differently there, so links made in one mode do not hold in the other, but the links a mode made before
     * still hold when the hart comes back to it with no invalidation between. A Linux guest leaves the
     * kernel for user code and back thousands of times a boot, and each time had every block of both look its
     * successors up again.
     */
    public void fetchModeChanged(int from, int to) {
        modeEpochs[from] = epoch;
        long saved = modeEpochs[to];
        epoch = saved >= validFrom ? saved : ++latestEpoch;
    }

    public boolean hasCode(long pageRamOffset) {
        return pages.get((int) (pageRamOffset >>> 12)) != null;
    }

    /** The block starting at {@code pc}; raises instruction page and access faults. */
    public Block blockAt(long pc) {
        Block cached = jumps.find(pc, epoch);
        if (cached != null) {
            cached.usedAt = trims;
            return cached;
        }
        Block block = lookUp(pc);
        if (!block.spansPages) {
            jumps.remember(pc, block, epoch);
        }
        return block;
    }

    private Block lookUp(long pc) {
        long offset = mmu.fetchOffset(pc);
        fetchedFrom(pc);
        int index = (int) (offset >>> 12);
        CodePage page = pages.get(index);
        if (page != null && page.verifiedAt != fences) {
            page = verified(index, page);
        }
        if (page != null) {
            Block block = page.block((int) (offset & 0xFFF) >>> 1);
            if (block != null && (!block.spansPages || endsAsDecoded(pc, block))) {
                block.usedAt = trims;
                return block;
            }
        }
        return decode(pc, offset);
    }

    /**
     * Whether the page after {@code pc}'s, as it is mapped now, still begins with the upper half of the instruction
     * that page-spanning {@code block} at {@code pc} was decoded from. Its page keeps and watches only the lower half:
     * the upper one may be remapped or rewritten without a fence of the block's page, so it is fetched and compared at
     * every lookup, as the block is never linked to nor cached by pc. Its decoding was repeated at every lookup
     * before: a Linux boot runs a few such instructions (a rotate of a hash, at a page end) ten thousand times.
     */
    private boolean endsAsDecoded(long pc, Block block) {
        return mmu.fetchHalfword(mmu.fetchOffset(pc + 2)) == block.raw[0] >>> 16;
    }

    public void stored(long ramOffset, int size) {
        int index = (int) (ramOffset >>> 12);
        CodePage page = pages.get(index);
        if (page != null) {
            int start = (int) (ramOffset & 0xFFF);
            if (page.isDecoded(start, Math.min(start + size, 0x1000))) {
                dropPage(index, page);
            }
        }
    }

    /**
     * FENCE.I: every page is to be compared with RAM before it runs again. Block links are dropped too, so that
     * the next block of every page is looked up, and compared, through {@link #blockAt}; a compiled region runs
     * only blocks of its entry's page.
     */
    public void fenceInstructions() {
        fences++;
        invalidateLinks();
    }

    /** {@code page}, now known to hold what RAM holds, or null if it was dropped because RAM changed. */
    private CodePage verified(int index, CodePage page) {
        if (page.changedIn(mmu.ram, (long) index << 12)) {
            dropPage(index, page);
            return null;
        }
        page.verifiedAt = fences;
        return page;
    }

    private void dropPage(int index, CodePage page) {
        pages.remove(index);
        invalidateLinks();
        jumps.clear();
        long bytes = page.footprint();
        held -= bytes;
        budget.release(generation, bytes);
        releaseRegions(page);
    }

    /**
     * The hart has nothing to run until an interrupt: at most once per trim interval, drops the blocks not looked up
     * since the previous pass, and the pages left without blocks. A Linux guest runs most of its code once, while it
     * boots, and then idles on a few hundred blocks of its timer and idle loop, spread over dozens of pages that
     * hold a hundred blocks each; dropping the rest lets an idle VM give back the memory of code it no longer runs,
     * as a JIT's code cache sweeps cold code. A block reached only through block links or compiled regions since the
     * last pass is dropped too, and decoded again when it next runs. The blocks kept forget their links, which would
     * otherwise keep the dropped blocks they lead to alive, so each block still in use is looked up again by the
     * next pass.
     */
    public void trimUnused() {
        long now = System.nanoTime();
        if (now - lastTrim < trimIntervalNanos) {
            return;
        }
        lastTrim = now;
        for (int index = pages.nextHoldingCode(0); index < pages.size(); index = pages.nextHoldingCode(index + 1)) {
            trimPage(index, pages.get(index));
        }
        jumps.clear();
        trims++;
    }

    private void trimPage(int index, CodePage page) {
        page.removeUnused(trims).forEach(this::release);
        if (page.isEmpty()) {
            dropPage(index, page);
        } else {
            page.forgetSuccessors();
        }
    }

    /** Drops every block: the VM has stopped, or its state is replaced. */
    public void flush() {
        budget.release(generation, held);
        // each page goes as soon as its regions are given back: a VM that failed for want of heap frees it at once
        for (int index = pages.nextHoldingCode(0); index < pages.size(); index = pages.nextHoldingCode(index + 1)) {
            CodePage page = pages.get(index);
            pages.remove(index);
            releaseRegions(page);
        }
        drop();
    }

    private void releaseRegions(CodePage page) {
        for (Block block : page.blocks) {
            if (block != null) {
                releaseRegion(block);
            }
        }
    }

    /** Gives back what {@code block}, leaving its page, was charged: its slot, itself and its region. */
    private void release(Block block) {
        long bytes = CodePage.SLOT + block.footprint();
        held -= bytes;
        budget.release(generation, bytes);
        releaseRegion(block);
    }

    private void releaseRegion(Block block) {
        if (block.region != null) {
            budget.releaseRegion(generation, block.region);
        }
    }

    /** Drops the code another hart's full flush wrote off; checked once a quantum, so it costs nothing per block. */
    public void dropIfFlushed() {
        if (generation != budget.generation()) {
            drop();
        }
    }

    /**
     * Compiles the region a hot block at {@code pc} enters on the vCPU's thread, for {@link JitMode#EAGER}, unless
     * a VM compiled the same code already, and charges its class to the budget.
     */
    public void compile(Block entry, long pc, RegionCompiler compiler) {
        Region region = regionFrom(entry, pc);
        if (region == null) {
            return;
        }
        install(entry, translations.compiled(new SharedTranslations.Key(region), region, compiler));
    }

    /**
     * Installs the region a hot block at {@code pc} enters if a VM compiled the same code already, else queues it
     * for the background compiler; while the backlog is full, the block counts its executions again.
     */
    public void submit(Block entry, long pc, BackgroundCompiler compiler) {
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
    public void install(Block entry) {
        BackgroundCompiler.Ready ready = entry.ready;
        entry.ready = null;
        install(entry, ready);
    }

    /** Charges {@code ready}'s region to this VM's budget, once for all its blocks, and lets {@code entry} enter it. */
    private void install(Block entry, BackgroundCompiler.Ready ready) {
        if (budget.tryChargeRegion(generation, ready.region(), ready.footprint())) {
            entry.region = ready.region();
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
        CodePage page = pages.get((int) (offset >>> 12));
        int entryStart = (int) (offset & 0xFFF);
        if (page == null || page.block(entryStart >>> 1) != entry) {
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
                Block block = page.block(start >>> 1);
                if (block == null || block.spansPages || instructions + block.code.length > MAX_REGION_INSTRUCTIONS
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
    static long[] successors(Block block) {
        long last = block.code[block.code.length - 1];
        long fallThrough = block.byteLength;
        return switch (Decoded.op(last)) {
            case Op.BEQ, Op.BNE, Op.BLT, Op.BGE, Op.BLTU, Op.BGEU -> new long[] {Decoded.imm(last), fallThrough};
            case Op.JAL -> new long[] {Decoded.imm(last), NO_SUCCESSOR};
            default -> new long[] {Op.endsBlock(Decoded.op(last)) ? NO_SUCCESSOR : fallThrough, NO_SUCCESSOR};
        };
    }

    private void drop() {
        pages.clear();
        invalidateLinks();
        jumps.clear();
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
        Block block = shared.block(codeScratch, rawScratch, offsetScratch, count, position, crossesPage);
        remember(offset, block);
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
        while (!charge(CodePage.SLOT + block.footprint() + (pages.get(index) == null ? CodePage.FOOTPRINT : 0))) {
            // the cache was flushed to make room: charge again, for the page too
        }
        CodePage page = pages.get(index);
        if (page == null) {
            long pageOffset = offset & Tlb.PAGE_MASK;
            page = new CodePage(shared.image(mmu.ram.asSlice(pageOffset, 0x1000).toArray(ValueLayout.JAVA_BYTE)));
            page.verifiedAt = fences;
            pages.put(index, page);
            mmu.protectCode(pageOffset);
        }
        int start = (int) (offset & 0xFFF);
        // a page-spanning block whose upper half changed gives its place to the one decoded now
        Block replaced = page.block(start >>> 1);
        if (replaced != null) {
            release(replaced);
        }
        block.usedAt = trims;
        page.put(start >>> 1, block);
        page.remember(start, block);
    }
}
