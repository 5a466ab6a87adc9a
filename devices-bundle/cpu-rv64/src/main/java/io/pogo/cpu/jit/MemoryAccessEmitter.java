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
 * bytecode: a tag compare against the data TLB and one access to guest RAM at the page's offset, so the JVM
 * compiles an access hitting the TLB into a few machine instructions instead of a call. Anything else (a miss,
 * MMIO, an overlay, a misaligned access, a store to a page holding decoded code, an armed load or store trigger)
 * fails the compare, exactly as in {@link Mmu}, and goes to {@link Mmu}'s slow path out of line.
 *
 * <p>The data TLB is read from the {@link Mmu} at every access, not once per region: an MMIO exit runs device code
 * in the middle of a region, and the JVM keeps the read in a register wherever nothing in between can change it.
 * The host space guest RAM is a slice of, the same for every VM the allocator carved from it, is a constant of the
 * compiled class instead, so the JVM folds the segment's base, size and checks into each access rather than reading
 * them from the segment every time; the TLB entry's offset keeps the access inside the VM's own slice.
 */
public final class MemoryAccessEmitter {
    private static final ClassDesc MMU = ClassDesc.of(Mmu.class.getName());
    private static final ClassDesc TLB = ClassDesc.of(Tlb.class.getName());
    private static final ClassDesc SEGMENT = ClassDesc.of("java.lang.foreign.MemorySegment");
    private static final ClassDesc LONG_ARRAY = ConstantDescs.CD_long.arrayType();
    private static final ClassDesc[] LAYOUTS = {
            ClassDesc.of("java.lang.foreign.ValueLayout$OfByte"), ClassDesc.of("java.lang.foreign.ValueLayout$OfShort"),
            ClassDesc.of("java.lang.foreign.ValueLayout$OfInt"), ClassDesc.of("java.lang.foreign.ValueLayout$OfLong")};
    private static final String[] LAYOUT_FIELDS = {"BYTE", "SHORT", "INT", "LONG"};
    private static final ClassDesc[] VALUES = {
            ConstantDescs.CD_byte, ConstantDescs.CD_short, ConstantDescs.CD_int, ConstantDescs.CD_long};
    private static final MethodTypeDesc LOAD_SLOW = MethodTypeDesc.of(ConstantDescs.CD_long, ConstantDescs.CD_long,
            ConstantDescs.CD_int);
    private static final MethodTypeDesc SLOT = MethodTypeDesc.of(ConstantDescs.CD_int, ConstantDescs.CD_long);
    private static final MethodTypeDesc STORE_SLOW = MethodTypeDesc.of(ConstantDescs.CD_void, ConstantDescs.CD_long,
            ConstantDescs.CD_int, ConstantDescs.CD_long);

    /** Local slots of the compiled method: the Mmu, and scratch the emitted accesses own. */
    private final int mmuSlot;
    private final int entriesSlot;
    private final int slotSlot;
    private final int addressSlot;
    /** The host-space offset of the address: its page's offset from the TLB entry plus the offset in the page. */
    private final int ramOffsetSlot;
    private final int valueSlot;

    /** The compiled class's constant holding the host space. */
    private final ConstantDesc ram;

    /** {@code firstFreeSlot} and the seven slots after it become the emitter's scratch. */
    MemoryAccessEmitter(int mmuSlot, int firstFreeSlot, ConstantDesc ram) {
        this.mmuSlot = mmuSlot;
        this.entriesSlot = firstFreeSlot;
        this.slotSlot = firstFreeSlot + 1;
        this.addressSlot = firstFreeSlot + 2;
        this.ramOffsetSlot = firstFreeSlot + 4;
        this.valueSlot = firstFreeSlot + 6;
        this.ram = ram;
    }

    /**
     * Loads {@code 1 << sizeLog2} bytes from the virtual address on the stack and leaves them on the stack,
     * sign- or zero-extended to a long; {@code beforeSlowPath} prepares the hart for a trap or exit of the access.
     */
    void emitLoad(CodeBuilder code, int sizeLog2, boolean signed, Consumer<CodeBuilder> beforeSlowPath) {
        Label slow = code.newLabel();
        Label done = code.newLabel();
        emitTagCompare(code, Tlb.READ_TAG, sizeLog2, slow);
        code.ldc(ram).getstatic(MMU, LAYOUT_FIELDS[sizeLog2], LAYOUTS[sizeLog2]);
        code.lload(ramOffsetSlot).invokeinterface(SEGMENT, "get", MethodTypeDesc.of(VALUES[sizeLog2], LAYOUTS[sizeLog2],
                ConstantDescs.CD_long));
        if (sizeLog2 < 3) {
            code.i2l();
            if (!signed) {
                code.loadConstant((1L << (8 << sizeLog2)) - 1).land();
            }
        }
        code.lstore(valueSlot).goto_(done);

        code.labelBinding(slow);
        beforeSlowPath.accept(code);
        code.aload(mmuSlot).lload(addressSlot).loadConstant(sizeLog2).invokevirtual(MMU, "loadSlow", LOAD_SLOW);
        if (signed && sizeLog2 < 3) {
            code.l2i();
            switch (sizeLog2) {
                case 0 -> code.i2b();
                case 1 -> code.i2s();
                default -> {
                }
            }
            code.i2l();
        }
        code.lstore(valueSlot);
        code.labelBinding(done);
        code.lload(valueSlot);
    }

    /**
     * Stores the low {@code 1 << sizeLog2} bytes of the value the {@code value} emitter pushes at the virtual
     * address on the stack; {@code beforeSlowPath} prepares the hart for a trap or exit of the access, and
     * {@code afterSlowPath} follows a store the slow path performed: only that one may have written decoded code,
     * as a page holding some never takes the fast path.
     */
    void emitStore(CodeBuilder code, int sizeLog2, Consumer<CodeBuilder> beforeSlowPath,
                   Consumer<CodeBuilder> value, Consumer<CodeBuilder> afterSlowPath) {
        Label slow = code.newLabel();
        Label done = code.newLabel();
        emitTagCompare(code, Tlb.WRITE_TAG, sizeLog2, slow);
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
        code.goto_(done);

        code.labelBinding(slow);
        beforeSlowPath.accept(code);
        code.aload(mmuSlot).lload(addressSlot).loadConstant(sizeLog2);
        value.accept(code);
        code.invokevirtual(MMU, "storeSlow", STORE_SLOW);
        afterSlowPath.accept(code);
        code.labelBinding(done);
    }

    /**
     * Takes the address off the stack and jumps to {@code slow} unless the data TLB entry's tag at {@code tag}
     * holds its page with the access allowed; the tag's low bits are zero, so a misaligned address never matches.
     * The entry's RAM offset is read from the same array before the compare, into a local the access then uses.
     */
    private void emitTagCompare(CodeBuilder code, int tag, int sizeLog2, Label slow) {
        code.lstore(addressSlot)
                .aload(mmuSlot).getfield(MMU, "dataTlb", TLB).getfield(TLB, "entries", LONG_ARRAY).astore(entriesSlot)
                .lload(addressSlot).invokestatic(TLB, "slot", SLOT).istore(slotSlot)
                .aload(entriesSlot).iload(slotSlot).loadConstant(Tlb.RAM_OFFSET).iadd().laload()
                .lload(addressSlot).loadConstant(0xFFFL).land().ladd().lstore(ramOffsetSlot)
                .aload(entriesSlot).iload(slotSlot).loadConstant(tag).iadd().laload()
                .lload(addressSlot).loadConstant(Tlb.PAGE_MASK | ((1L << sizeLog2) - 1)).land()
                .lcmp().ifne(slow);
    }
}
