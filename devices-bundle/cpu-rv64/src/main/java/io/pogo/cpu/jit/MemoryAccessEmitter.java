package io.pogo.cpu.jit;

import io.pogo.cpu.mmu.Mmu;
import io.pogo.cpu.mmu.Tlb;

import java.lang.classfile.CodeBuilder;
import java.lang.classfile.Label;
import java.lang.constant.ClassDesc;
import java.lang.constant.ConstantDesc;
import java.lang.constant.ConstantDescs;
import java.lang.constant.MethodTypeDesc;
import java.util.function.Consumer;

/**
 * Emits a compiled region's loads and stores as {@link Mmu#load}'s and {@link Mmu#store}'s TLB fast path in
 * bytecode, so the JVM compiles an access hitting the TLB into a few machine instructions instead of a call.
 * Anything else (a miss, MMIO, an overlay, a misaligned access, a store to a page holding decoded code, an armed
 * load or store trigger) fails the compare, exactly as in {@link Mmu}, and jumps to a label the region hands the
 * access over to the interpreter at, which runs it through {@link Mmu}'s slow path: the region's method then calls
 * nothing on its loads and stores, and an access takes a few bytes of bytecode more than its fast path instead of
 * the 35-75 a call of the slow path took (C2's time over a sieve-only variant of bench.elf fell from 0.7-0.8 s to
 * 0.4-0.5 s, docs/performance.md).
 *
 * <p>A loop mostly touches the page it touched last through the same base register, so the region remembers, in
 * locals, the page the accesses of one kind (load, store) through one base register found last in the data TLB,
 * for the {@link #MAX_PAGES} pairs with the most accesses in the region: an access to that page is one compare
 * with a local and an add, without reading the TLB. Only this hart's own thread changes its TLBs, and inside a
 * region only the calls the region makes out of line can (an atomic, a floating-point load or store): the region
 * {@link #emitForget forgets} every page after each of them, and starts with none. Between them, a remembered entry
 * is one the TLB holds or held: a translation the guest may still use, as a TLB may hold a stale one until
 * SFENCE.VMA, which leaves the region.
 *
 * <p>The host space guest RAM is a slice of, the same for every VM the allocator carved from it, is a constant of
 * the compiled class, so the JVM folds the segment's base, size and checks into each access rather than reading
 * them from the segment every time; the TLB entry's offset keeps the access inside the VM's own slice.
 */
public final class MemoryAccessEmitter {
    private static final ClassDesc MMU = ClassDesc.of(Mmu.class.getName());
    private static final ClassDesc TLB = ClassDesc.of(Tlb.class.getName());
    private static final ClassDesc SEGMENT = ClassDesc.of("java.lang.foreign.MemorySegment");
    private static final ClassDesc[] LAYOUTS = {
            ClassDesc.of("java.lang.foreign.ValueLayout$OfByte"), ClassDesc.of("java.lang.foreign.ValueLayout$OfShort"),
            ClassDesc.of("java.lang.foreign.ValueLayout$OfInt"), ClassDesc.of("java.lang.foreign.ValueLayout$OfLong")};
    private static final String[] LAYOUT_FIELDS = {"BYTE", "SHORT", "INT", "LONG"};
    private static final ClassDesc[] VALUES = {
            ConstantDescs.CD_byte, ConstantDescs.CD_short, ConstantDescs.CD_int, ConstantDescs.CD_long};
    private static final MethodTypeDesc HOST_OFFSET = MethodTypeDesc.of(ConstantDescs.CD_long, ConstantDescs.CD_long,
            ConstantDescs.CD_int);
    /**
     * Pages a region remembers at most: each takes two locals live through the region's loops. Quicksort's partition
     * loop reads and writes through five base-register-and-kind pairs (loads through a0, a5, a6, stores through a0,
     * a6), and with four its swap's second store looked its page up in the TLB on every pass; with six, bench.elf's
     * vCPU took a median 6.3 s instead of 7.1 s (10 alternating pairs, lower in 8); two were worse than four.
     */
    static final int MAX_PAGES = 6;
    /** An access whose page is not remembered. */
    static final int NO_PAGE = -1;
    /** Local slots the emitter's scratch takes, from the first free one: three longs, and two for each page. */
    static final int SCRATCH_SLOTS = 6 + 4 * MAX_PAGES;

    /** Local slots of the compiled method: the Mmu, and scratch the emitted accesses own. */
    private final int mmuSlot;
    private final int addressSlot;
    /** The address with the page and the access's alignment bits kept, as a TLB tag matches it. */
    private final int maskedSlot;
    /** The host-space offset of the address: its page's offset from the TLB entry plus the offset in the page. */
    private final int ramOffsetSlot;
    /**
     * Page {@code p}'s locals are at {@code firstPageSlot + 4 p}: the virtual page, or -1 (no masked address
     * matches it), then its host-space offset less the virtual page, which the address added to makes its host
     * offset.
     */
    private final int firstPageSlot;

    /** The compiled class's constant holding the host space. */
    private final ConstantDesc ram;

    /** {@code firstFreeSlot} and the {@link #SCRATCH_SLOTS} - 1 slots after it become the emitter's scratch. */
    MemoryAccessEmitter(int mmuSlot, int firstFreeSlot, ConstantDesc ram) {
        this.mmuSlot = mmuSlot;
        this.addressSlot = firstFreeSlot;
        this.maskedSlot = firstFreeSlot + 2;
        this.ramOffsetSlot = firstFreeSlot + 4;
        this.firstPageSlot = firstFreeSlot + 6;
        this.ram = ram;
    }

    /** Starts the region with none of its {@code pages} remembered (the offsets set too, for the JVM's verifier). */
    void emitEntry(CodeBuilder code, int pages) {
        for (int p = 0; p < pages; p++) {
            code.lconst_0().lstore(pageSlot(p) + 2);
        }
        emitForget(code, pages);
    }

    /** Forgets the region's {@code pages}: after every call that may have changed the data TLB. */
    void emitForget(CodeBuilder code, int pages) {
        if (pages == 0) {
            return;
        }
        code.ldc(-1L);
        for (int p = 1; p < pages; p++) {
            code.dup2().lstore(pageSlot(p));
        }
        code.lstore(pageSlot(0));
    }

    private int pageSlot(int page) {
        return firstPageSlot + 4 * page;
    }

    /**
     * Loads {@code 1 << sizeLog2} bytes from the virtual address on the stack and leaves them on the stack,
     * sign- or zero-extended to a long, through remembered {@code page} or {@link #NO_PAGE}; jumps to {@code slow},
     * with nothing on the stack, if the access misses the fast path.
     */
    void emitLoad(CodeBuilder code, int sizeLog2, boolean signed, int page, Label slow) {
        emitTranslate(code, Tlb.READ_TAG, sizeLog2, page, slow);
        code.ldc(ram).getstatic(MMU, LAYOUT_FIELDS[sizeLog2], LAYOUTS[sizeLog2]);
        code.lload(ramOffsetSlot).invokeinterface(SEGMENT, "get", MethodTypeDesc.of(VALUES[sizeLog2], LAYOUTS[sizeLog2],
                ConstantDescs.CD_long));
        if (sizeLog2 < 3) {
            code.i2l();
            if (!signed) {
                code.loadConstant((1L << (8 << sizeLog2)) - 1).land();
            }
        }
    }

    /**
     * Stores the low {@code 1 << sizeLog2} bytes of the value the {@code value} emitter pushes at the virtual
     * address on the stack, through remembered {@code page} or {@link #NO_PAGE}; jumps to {@code slow}, with nothing
     * on the stack and nothing stored, if the access misses the fast path (only that one may write decoded code, as
     * a page holding some never takes the fast path).
     */
    void emitStore(CodeBuilder code, int sizeLog2, int page, Label slow, Consumer<CodeBuilder> value) {
        emitTranslate(code, Tlb.WRITE_TAG, sizeLog2, page, slow);
        code.ldc(ram).getstatic(MMU, LAYOUT_FIELDS[sizeLog2], LAYOUTS[sizeLog2]);
        code.lload(ramOffsetSlot);
        value.accept(code);
        switch (sizeLog2) {
            case 0 -> code.l2i().i2b();
            case 1 -> code.l2i().i2s();
            case 2 -> code.l2i();
            default -> {
            }
        }
        code.invokeinterface(SEGMENT, "set", MethodTypeDesc.of(ConstantDescs.CD_void, LAYOUTS[sizeLog2],
                ConstantDescs.CD_long, VALUES[sizeLog2]));
    }

    /**
     * Takes the address off the stack, leaves its host-space offset in {@link #ramOffsetSlot}, or jumps to
     * {@code slow} unless the data TLB entry's tag at {@code tag} holds its page with the access allowed; the tag's
     * low bits are zero, so a misaligned address never matches. Remembered {@code page} is compared first; a page
     * found in the TLB becomes it.
     */
    private void emitTranslate(CodeBuilder code, int tag, int sizeLog2, int page, Label slow) {
        code.lstore(addressSlot)
                .lload(addressSlot).loadConstant(Tlb.PAGE_MASK | ((1L << sizeLog2) - 1)).land().lstore(maskedSlot);
        if (page == NO_PAGE) {
            emitTlbLookup(code, tag, slow);
            code.lload(ramOffsetSlot).lload(addressSlot).loadConstant(0xFFFL).land().ladd().lstore(ramOffsetSlot);
            return;
        }
        int pageSlot = pageSlot(page);
        int deltaSlot = pageSlot + 2;
        Label samePage = code.newLabel();
        code.lload(maskedSlot).lload(pageSlot).lcmp().ifeq(samePage);
        emitTlbLookup(code, tag, slow);
        code.lload(ramOffsetSlot).lload(maskedSlot).lsub().lstore(deltaSlot)
                .lload(maskedSlot).lstore(pageSlot);
        code.labelBinding(samePage);
        code.lload(deltaSlot).lload(addressSlot).ladd().lstore(ramOffsetSlot);
    }

    /**
     * Leaves the host-space offset of the masked address's page in {@link #ramOffsetSlot}, from the data TLB entry's
     * tag at {@code tag}, or jumps to {@code slow} if that entry does not allow the access.
     */
    private void emitTlbLookup(CodeBuilder code, int tag, Label slow) {
        code.aload(mmuSlot).getfield(MMU, "dataTlb", TLB).lload(maskedSlot).loadConstant(tag)
                .invokevirtual(TLB, "hostOffset", HOST_OFFSET).lstore(ramOffsetSlot)
                .lload(ramOffsetSlot).lconst_0().lcmp().iflt(slow);
    }
}
