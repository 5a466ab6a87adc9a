package io.pogo.cpu.jit;

import io.pogo.cpu.HartState;
import io.pogo.cpu.decode.Decoded;
import io.pogo.cpu.decode.Op;
import io.pogo.cpu.fpu.FloatUnit;
import io.pogo.cpu.interpreter.Alu;
import io.pogo.cpu.interpreter.BitManip;
import io.pogo.cpu.interpreter.Executor;
import io.pogo.cpu.interpreter.Pause;
import io.pogo.cpu.mmu.Mmu;
import io.pogo.cpu.trap.GuestException;

import java.lang.classfile.Attributes;
import java.lang.classfile.ClassFile;
import java.lang.classfile.CodeBuilder;
import java.lang.classfile.Label;
import java.lang.constant.ClassDesc;
import java.lang.constant.ConstantDescs;
import java.lang.constant.DynamicConstantDesc;
import java.lang.constant.MethodTypeDesc;
import java.lang.invoke.MethodHandles;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static io.pogo.cpu.decode.Decoded.imm;
import static io.pogo.cpu.decode.Decoded.rd;
import static io.pogo.cpu.decode.Decoded.rs1;
import static io.pogo.cpu.decode.Decoded.rs2;

/**
 * The JIT tier: translates a hot {@link Region} into one JVM method of a hidden class, so the JVM's own JIT compiles
 * a guest loop into a machine-code loop. The guest registers the region uses live in JVM locals, loaded on entry;
 * each write goes to the hart's register array as well, so the array is exact wherever the region leaves, traps or
 * calls out, and a register's local is dead after its last read (written back only at the exits instead, every
 * register the region writes was live all through its method). Control transfers to a block of the region become
 * jumps; each one back to an earlier block checks the hart's attention and the instruction budget, so interrupts,
 * pauses and quanta are honoured within one pass of a loop. Integer and control-transfer instructions become
 * bytecode, loads and stores their TLB fast path ({@link MemoryAccessEmitter}), which hands the access over to the
 * interpreter when it misses; floating-point, atomic and bit-manipulation instructions become calls into
 * {@link FloatUnit}, {@link Mmu} and {@link BitManip}, the same semantics the interpreter runs. A block's last
 * instruction, when it may leave the CPU or trap by design (CSR, ECALL, xRET, fences, illegal), is handed over to
 * the interpreter.
 */
public final class RegionCompiler {
    /**
     * Interpreted executions before a block is compiled as a region's entry. Generating a class and letting the
     * JVM compile it (C1, then C2) costs some 20 ms of CPU a region, as much as interpreting a block hundreds of
     * thousands of times, so only code that keeps running is compiled. A Linux boot runs most of its code a few
     * thousand times and then no more: with 16384, it compiled some 70 regions, which then ran a fifth of its
     * 105 million instructions, for about 2 s of CPU (a quarter of the run's); with 65536, 14 regions, and the
     * boot's CPU time fell by a third. bench.elf paid for it when it was raised: the code around its inner loops,
     * which runs between 16384 and 65536 times, stayed interpreted longer, and its vCPU took some 1.5 s of CPU more
     * (of 6; 32768 cost it nothing, and saved the boot little). On later code it interprets a quarter of a percent
     * of its instructions either way and enters its regions some 19 million times at either threshold.
     */
    public static final int THRESHOLD = 65536;
    /**
     * The JVM leaves methods of more bytecode than this to its interpreter (HotSpot's HugeMethodLimit), which would
     * make a region slower than the blocks it replaces; a region that grows past it is cut back.
     */
    private static final int MAX_BYTECODE = 2000;
    /**
     * Bytecode an integer load or store takes at least ({@link MemoryAccessEmitter}: the address, the TLB lookup,
     * the access and the jump to the hand-over), so that a region too large for {@link #MAX_BYTECODE} on its loads
     * and stores alone is cut without building it whole first.
     */
    private static final int MIN_ACCESS_BYTECODE = 56;

    private static final ClassDesc LONG_ARRAY = ConstantDescs.CD_long.arrayType();
    private static final ClassDesc EXECUTOR = ClassDesc.of(Executor.class.getName());
    private static final ClassDesc MMU = ClassDesc.of(Mmu.class.getName());
    private static final ClassDesc HART = ClassDesc.of(HartState.class.getName());
    private static final ClassDesc FLOAT_UNIT = ClassDesc.of(FloatUnit.class.getName());
    private static final ClassDesc BLOCK = ClassDesc.of(Block.class.getName());
    private static final ClassDesc GUEST_EXCEPTION = ClassDesc.of(GuestException.class.getName());
    private static final ClassDesc ALU = ClassDesc.of(Alu.class.getName());
    private static final ClassDesc BIT_MANIP = ClassDesc.of(BitManip.class.getName());
    private static final ClassDesc PAUSE = ClassDesc.of(Pause.class.getName());
    private static final ClassDesc MATH = ClassDesc.of("java.lang.Math");
    private static final ClassDesc LONG = ClassDesc.of("java.lang.Long");
    private static final ClassDesc COMPILED_REGION = ClassDesc.of(CompiledRegion.class.getName());
    private static final MethodTypeDesc RUN = MethodTypeDesc.of(ConstantDescs.CD_int, EXECUTOR, LONG_ARRAY, MMU,
            HART, FLOAT_UNIT, ConstantDescs.CD_long, ConstantDescs.CD_long);
    private static final MethodTypeDesc AT = MethodTypeDesc.of(ConstantDescs.CD_void, BLOCK, ConstantDescs.CD_long,
            ConstantDescs.CD_int);
    private static final MethodTypeDesc CODE_EPOCH = MethodTypeDesc.of(ConstantDescs.CD_long);
    private static final MethodTypeDesc FLOAT_EXECUTE = MethodTypeDesc.of(ConstantDescs.CD_void,
            ConstantDescs.CD_long, ConstantDescs.CD_int);
    private static final MethodTypeDesc STORE_CONDITIONAL = MethodTypeDesc.of(ConstantDescs.CD_long,
            ConstantDescs.CD_long, ConstantDescs.CD_int, ConstantDescs.CD_long);
    private static final MethodTypeDesc ATOMIC = MethodTypeDesc.of(ConstantDescs.CD_long, ConstantDescs.CD_long,
            ConstantDescs.CD_int, ConstantDescs.CD_int, ConstantDescs.CD_long);
    private static final MethodTypeDesc LOAD = MethodTypeDesc.of(ConstantDescs.CD_long, ConstantDescs.CD_long,
            ConstantDescs.CD_int);
    private static final MethodTypeDesc LONG_LONG_TO_LONG = MethodTypeDesc.of(ConstantDescs.CD_long,
            ConstantDescs.CD_long, ConstantDescs.CD_long);
    private static final MethodTypeDesc LONG_TO_LONG = MethodTypeDesc.of(ConstantDescs.CD_long, ConstantDescs.CD_long);
    private static final MethodTypeDesc COMPARE = MethodTypeDesc.of(ConstantDescs.CD_int, ConstantDescs.CD_long,
            ConstantDescs.CD_long);

    private static final int EXECUTOR_SLOT = 1;
    private static final int X = 2;
    private static final int MMU_SLOT = 3;
    private static final int HART_SLOT = 4;
    private static final int FLOAT_UNIT_SLOT = 5;
    private static final int START = 6;
    /**
     * The budget: instructions the region may run, counted from the hart's retired count as last brought up to
     * date, before a back edge leaves it. Kept in a local, so a back edge compares locals rather than reading the
     * retired count again after the attention flag.
     */
    private static final int BUDGET = 8;
    /** Instructions of whole blocks run since the retired count was last brought up to date. */
    private static final int EXECUTED = 10;
    private static final int TARGET = 12;
    private static final int ENTRY_EPOCH = 14;
    /** The load or store a jump to the shared hand-over names ({@link Emission#handOverAt}). */
    private static final int SITE = 16;
    private static final int FIRST_SCRATCH = 18;
    /** x1's local; x(n) is at FIRST_REGISTER + 2 (n - 1), after the memory emitter's scratch slots. */
    private static final int FIRST_REGISTER = FIRST_SCRATCH + MemoryAccessEmitter.SCRATCH_SLOTS;
    /** The class data: the host space guest RAM is a slice of first, then the region's blocks. */
    private static final int SPACE_DATA = 0;
    private static final int FIRST_BLOCK_DATA = 1;
    private static final DynamicConstantDesc<List<Object>> CLASS_DATA = DynamicConstantDesc.ofNamed(
            ConstantDescs.BSM_CLASS_DATA, ConstantDescs.DEFAULT_NAME, ConstantDescs.CD_List);
    private static final MethodTypeDesc LIST_GET = MethodTypeDesc.of(ConstantDescs.CD_Object, ConstantDescs.CD_int);
    private static final MemoryAccessEmitter MEMORY = new MemoryAccessEmitter(MMU_SLOT, FIRST_SCRATCH,
            DynamicConstantDesc.ofNamed(ConstantDescs.BSM_CLASS_DATA_AT, ConstantDescs.DEFAULT_NAME,
                    ClassDesc.of("java.lang.foreign.MemorySegment"), SPACE_DATA));

    private final MethodHandles.Lookup lookup = MethodHandles.lookup();

    /** A region cut to what the JVM compiles, with its class file, to be charged before it is {@link #load loaded}. */
    record Translation(Region region, byte[] classFile) {
    }

    /**
     * Translates {@code region}, or as many of its first blocks, loops first ({@link Region#loopsFirst}), as fit
     * into a method the JVM compiles: the most that fit, found by bisection, as the bytecode grows with the blocks.
     * The bisection measures class files built without stack maps, and only the cut region's is built with them:
     * generating them, a pass over every path of the method, made most of the cost of a build, and with every
     * candidate built with them (the whole region first) the library's generator grew hot enough for the JVM to
     * compile it with C2 (for bench.elf's some 40 regions, over a second of C2 time competing with the vCPU). A
     * region that may fit whole is built with them at once, as most do: a build without them too cost a short run
     * more than it saved (pagefill.elf's CPU 2.29 s instead of 2.21).
     */
    Translation translate(Region region) {
        Region ordered = region.loopsFirst();
        int blocks = ordered.blocks().length;
        if (blocks == 1 || memoryAccesses(ordered) * MIN_ACCESS_BYTECODE <= MAX_BYTECODE) {
            byte[] whole = classFile(ordered, ClassFile.of());
            if (blocks == 1 || bytecodeLength(whole) <= MAX_BYTECODE) {
                return new Translation(ordered, whole);
            }
        }
        ClassFile withoutStackMaps = ClassFile.of(ClassFile.StackMapsOption.DROP_STACK_MAPS);
        int fits = 1;
        int tooMany = blocks;
        while (tooMany - fits > 1) {
            int count = (fits + tooMany) >>> 1;
            if (bytecodeLength(classFile(ordered.firstBlocks(count), withoutStackMaps)) <= MAX_BYTECODE) {
                fits = count;
            } else {
                tooMany = count;
            }
        }
        Region cut = ordered.firstBlocks(fits);
        return new Translation(cut, classFile(cut, ClassFile.of()));
    }

    /** The integer loads and stores of {@code region}, which take most of its bytecode. */
    private static long memoryAccesses(Region region) {
        return Arrays.stream(region.blocks()).flatMapToLong(block -> Arrays.stream(block.code))
                .filter(w -> isIntegerAccess(Decoded.op(w)))
                .count();
    }

    private static boolean isIntegerAccess(int op) {
        return op >= Op.LB && op <= Op.LWU || op >= Op.SB && op <= Op.SD;
    }

    /** The length of the bytecode of a region class file's {@code run} method, the same with or without stack maps. */
    private static int bytecodeLength(byte[] classFile) {
        return ClassFile.of().parse(classFile).methods().stream()
                .filter(method -> method.methodName().equalsString("run"))
                .mapToInt(method -> method.findAttribute(Attributes.code()).orElseThrow().codeLength())
                .sum();
    }

    private static byte[] classFile(Region region, ClassFile classFile) {
        return classFile.build(COMPILED_REGION.nested("Guest"), classBuilder -> classBuilder
                .withFlags(ClassFile.ACC_FINAL | ClassFile.ACC_SYNTHETIC)
                .withInterfaceSymbols(COMPILED_REGION)
                .withMethodBody(ConstantDescs.INIT_NAME, ConstantDescs.MTD_void, ClassFile.ACC_PUBLIC, code -> code
                        .aload(0)
                        .invokespecial(ConstantDescs.CD_Object, ConstantDescs.INIT_NAME, ConstantDescs.MTD_void)
                        .return_())
                .withMethodBody("run", RUN, ClassFile.ACC_PUBLIC, code -> new Emission(code, region).emit()));
    }

    /**
     * Estimated host bytes a loaded compiled region takes: class metadata and mirror, a share of the JVM's own
     * compiled code, and its bytecode several times over (constant pool, method, profile).
     */
    static long footprint(byte[] classFile) {
        return 4096 + 4L * classFile.length;
    }

    /**
     * Defines the compiled region as a hidden class that is not tied to its loader for life: once its entry block
     * is dropped nothing refers to the class, and the JVM unloads it. Its class data are the host space, a constant
     * its loads and stores access, and the region's blocks, for the current instruction its traps and exits name:
     * their decoded instructions only, as the class may serve other VMs ({@link SharedTranslations}).
     */
    CompiledRegion load(Translation translation) {
        Region region = translation.region();
        List<Object> classData = new ArrayList<>();
        classData.add(region.hostSpace());
        Arrays.stream(region.blocks()).map(Block::decodedOnly).forEach(classData::add);
        try {
            Class<?> type = lookup.defineHiddenClassWithClassData(translation.classFile(), List.copyOf(classData),
                    true).lookupClass();
            ClassFileDump.write(type, translation.classFile());
            return (CompiledRegion) type.getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot load a compiled region", e);
        }
    }

    /** The block-ending instructions that change privileged state, leave the CPU or trap by design. */
    private static boolean isInterpretedOnly(int op) {
        return op == Op.ILLEGAL || op >= Op.FENCE_I && op <= Op.CSR;
    }

    /** Floating-point instructions with an integer destination, which {@link FloatUnit} writes into the array. */
    private static boolean writesIntegerRegister(int op) {
        return op == Op.FEQ || op == Op.FLT || op == Op.FLE || op == Op.FCLASS || op == Op.FCVT_TO_INT
                || op == Op.FMV_TO_INT;
    }

    private static int slot(int register) {
        return FIRST_REGISTER + 2 * (register - 1);
    }

    /** The bytecode of one region's method. */
    private static final class Emission {
        private final CodeBuilder code;
        private final Region region;
        private final Label[] blockLabels;
        private final Label exit;
        private final Label handOver;
        /** Names the load or store {@link #SITE} encodes as the current instruction, then hands it over. */
        private final Label handOverSite;
        /** The loads' and stores' jumps to {@link #handOverSite}, emitted out of line after the blocks. */
        private final List<Runnable> handOvers = new ArrayList<>();
        /** Registers the region reads or writes: loaded on entry. */
        private final boolean[] used = new boolean[32];
        /** The page each kind of access through each base register remembers ({@link #pageKey}), or NO_PAGE. */
        private final int[] pages = new int[64];
        private final int pageCount;

        Emission(CodeBuilder code, Region region) {
            this.code = code;
            this.region = region;
            this.blockLabels = new Label[region.blocks().length];
            for (int k = 0; k < blockLabels.length; k++) {
                blockLabels[k] = code.newLabel();
            }
            this.exit = code.newLabel();
            this.handOver = code.newLabel();
            this.handOverSite = code.newLabel();
            int[] accesses = new int[pages.length];
            for (Block block : region.blocks()) {
                for (long w : block.code) {
                    markRegisters(w);
                    int op = Decoded.op(w);
                    if (isIntegerAccess(op)) {
                        accesses[pageKey(w)]++;
                    }
                }
            }
            this.pageCount = rememberBusiest(accesses);
        }

        /**
         * Gives the page keys with the most {@code accesses} a remembered page each, as many as the emitter keeps;
         * returns how many it gave.
         */
        private int rememberBusiest(int[] accesses) {
            Arrays.fill(pages, MemoryAccessEmitter.NO_PAGE);
            int count = 0;
            for (; count < MemoryAccessEmitter.MAX_PAGES; count++) {
                int most = 0;
                for (int key = 1; key < accesses.length; key++) {
                    if (accesses[key] > accesses[most]) {
                        most = key;
                    }
                }
                if (accesses[most] == 0) {
                    break;
                }
                pages[most] = count;
                accesses[most] = 0;
            }
            return count;
        }

        /** Loads and stores through one base register share a remembered page: one for each kind. */
        private static int pageKey(long w) {
            int op = Decoded.op(w);
            return (op >= Op.SB && op <= Op.SD ? 32 : 0) + rs1(w);
        }

        private void markRegisters(long w) {
            used[rs1(w)] = true;
            used[rs2(w)] = true;
            int rd = rd(w);
            if (rd < 32) {
                used[rd] = true;
            }
        }

        void emit() {
            for (int r = 1; r < 32; r++) {
                if (used[r]) {
                    code.aload(X).loadConstant(r).laload().lstore(slot(r));
                }
            }
            code.lconst_0().lstore(EXECUTED)
                    .lconst_0().lstore(TARGET)
                    .aload(EXECUTOR_SLOT).invokevirtual(EXECUTOR, "codeEpoch", CODE_EPOCH).lstore(ENTRY_EPOCH);
            MEMORY.emitEntry(code, pageCount);
            Label tryStart = code.newLabel();
            Label tryEnd = code.newLabel();
            Label handler = code.newLabel();
            code.labelBinding(tryStart);
            for (int k = 0; k < blockLabels.length; k++) {
                code.labelBinding(blockLabels[k]);
                emitBlock(k);
            }
            code.labelBinding(tryEnd);
            code.exceptionCatch(tryStart, tryEnd, handler, GUEST_EXCEPTION);
            handOvers.forEach(Runnable::run);

            code.labelBinding(handOverSite);
            code.aload(EXECUTOR_SLOT)
                    .ldc(CLASS_DATA).lload(SITE).loadConstant(48).lushr().l2i().loadConstant(FIRST_BLOCK_DATA).iadd()
                    .invokeinterface(ConstantDescs.CD_List, "get", LIST_GET).checkcast(BLOCK)
                    .lload(START).lload(SITE).l2i().i2l().ladd()
                    .lload(SITE).loadConstant(32).lushr().l2i().loadConstant(0xFFFF).iand()
                    .invokevirtual(EXECUTOR, "at", AT);
            retire();
            code.goto_(handOver);

            code.labelBinding(exit);
            code.aload(HART_SLOT).lload(TARGET).putfield(HART, "pc", ConstantDescs.CD_long);
            retire();
            code.iconst_0().ireturn();

            code.labelBinding(handOver);
            retire();
            code.loadConstant(CompiledRegion.HANDED_OVER).ireturn();

            code.labelBinding(handler);
            retire();
            code.athrow();
        }

        /** Brings the hart's retired count up to the start of the current block, and the budget down by as much. */
        private void retire() {
            code.aload(HART_SLOT).dup().getfield(HART, "retired", ConstantDescs.CD_long).lload(EXECUTED).ladd()
                    .putfield(HART, "retired", ConstantDescs.CD_long)
                    .lload(BUDGET).lload(EXECUTED).lsub().lstore(BUDGET)
                    .lconst_0().lstore(EXECUTED);
        }

        /** Names instruction {@code i} of block {@code k} as the current one, for a trap or exit it may cause. */
        private void current(int k, int i) {
            pushInstruction(k, i);
            code.invokevirtual(EXECUTOR, "at", AT);
            retire();
        }

        /**
         * A label that hands instruction {@code i} of block {@code k}, a load or store that missed its fast path,
         * over to the interpreter, which runs it through the MMU's slow path: a few bytes out of line that set
         * {@link #SITE} to the block, the index and the block's offset in the region, for the shared code at
         * {@link #handOverSite}.
         */
        private Label handOverAt(int k, int i) {
            Label label = code.newLabel();
            long site = (long) k << 48 | (long) i << 32 | region.offsets()[k] & 0xFFFFFFFFL;
            handOvers.add(() -> code.labelBinding(label).loadConstant(site).lstore(SITE).goto_(handOverSite));
            return label;
        }

        /** Pushes the executor, then instruction {@code i} of block {@code k} as it names one: block, start, index. */
        private void pushInstruction(int k, int i) {
            code.aload(EXECUTOR_SLOT)
                    .ldc(DynamicConstantDesc.ofNamed(ConstantDescs.BSM_CLASS_DATA_AT, ConstantDescs.DEFAULT_NAME,
                            BLOCK, FIRST_BLOCK_DATA + k));
            blockStart(k, 0);
            code.loadConstant(i);
        }

        /** Pushes the virtual address {@code offset} bytes from block {@code k}'s start. */
        private void blockStart(int k, long offset) {
            code.lload(START).loadConstant(region.offsets()[k] + offset).ladd();
        }

        private void emitBlock(int k) {
            Block block = region.blocks()[k];
            int count = block.code.length;
            boolean handsOver = isInterpretedOnly(Decoded.op(block.code[count - 1]));
            int compiled = handsOver ? count - 1 : count;
            for (int i = 0; i < compiled; i++) {
                emitInstruction(k, i);
            }
            if (handsOver) {
                current(k, count - 1);
                code.goto_(handOver);
                return;
            }
            long w = block.code[count - 1];
            switch (Decoded.op(w)) {
                case Op.JAL, Op.JALR -> {
                }
                case Op.BEQ, Op.BNE, Op.BLT, Op.BGE, Op.BLTU, Op.BGEU -> emitBranch(k, w);
                default -> transfer(k, block.byteLength);
            }
        }

        private void emitInstruction(int k, int i) {
            Block block = region.blocks()[k];
            long w = block.code[i];
            int op = Decoded.op(w);
            if (op >= Op.FIRST_FLOAT) {
                emitFloat(k, i, w, op);
                return;
            }
            switch (op) {
                case Op.NOP, Op.FENCE, Op.BEQ, Op.BNE, Op.BLT, Op.BGE, Op.BLTU, Op.BGEU -> {
                }
                case Op.PAUSE -> code.invokestatic(PAUSE, "hint", ConstantDescs.MTD_void);
                case Op.JAL -> {
                    setRegister(rd(w), () -> blockStart(k, block.byteLength));
                    transfer(k, imm(w));
                }
                case Op.JALR -> {
                    readRegister(rs1(w)).loadConstant((long) imm(w)).ladd().loadConstant(~1L).land().lstore(TARGET);
                    setRegister(rd(w), () -> blockStart(k, block.byteLength));
                    addExecuted(block.code.length);
                    code.goto_(exit);
                }
                case Op.SB, Op.SH, Op.SW, Op.SD -> {
                    address(w);
                    MEMORY.emitStore(code, op - Op.SB, pages[pageKey(w)], handOverAt(k, i),
                            c -> readRegister(rs2(w)));
                }
                case Op.LR -> {
                    current(k, i);
                    setRegister(rd(w), () -> {
                        code.aload(MMU_SLOT);
                        readRegister(rs1(w)).loadConstant(Decoded.rm(w)).invokevirtual(MMU, "loadReserved", LOAD);
                    });
                    MEMORY.emitForget(code, pageCount);
                }
                case Op.SC -> {
                    current(k, i);
                    setRegister(rd(w), () -> {
                        code.aload(MMU_SLOT);
                        readRegister(rs1(w)).loadConstant(Decoded.rm(w));
                        readRegister(rs2(w)).invokevirtual(MMU, "storeConditional", STORE_CONDITIONAL);
                    });
                    MEMORY.emitForget(code, pageCount);
                    leaveIfCodeChanged(k, i);
                }
                case Op.AMO -> {
                    current(k, i);
                    setRegister(rd(w), () -> {
                        code.aload(MMU_SLOT);
                        readRegister(rs1(w)).loadConstant(Decoded.rm(w)).loadConstant(imm(w));
                        readRegister(rs2(w)).invokevirtual(MMU, "atomic", ATOMIC);
                    });
                    MEMORY.emitForget(code, pageCount);
                    leaveIfCodeChanged(k, i);
                }
                default -> setRegister(rd(w), () -> emitValue(k, i, w, op));
            }
        }

        /**
         * A call into {@link FloatUnit}, which reads integer sources from the register array and writes integer
         * destinations into it: the destination is read back after.
         */
        private void emitFloat(int k, int i, long w, int op) {
            current(k, i);
            code.aload(FLOAT_UNIT_SLOT).loadConstant(w).loadConstant(region.blocks()[k].raw[i])
                    .invokevirtual(FLOAT_UNIT, "execute", FLOAT_EXECUTE);
            int rd = rd(w);
            if (writesIntegerRegister(op) && rd != 0 && rd < 32) {
                code.aload(X).loadConstant(rd).laload().lstore(slot(rd));
            }
            if (op == Op.FLW || op == Op.FLD || op == Op.FSW || op == Op.FSD) {
                MEMORY.emitForget(code, pageCount);
            }
            if (op == Op.FSW || op == Op.FSD) {
                leaveIfCodeChanged(k, i);
            }
        }

        /**
         * After a store that left the fast path: when it wrote code this region was translated from, the region
         * ends after it, so the next instruction runs as newly decoded, as it would between blocks.
         */
        private void leaveIfCodeChanged(int k, int i) {
            Label changed = code.newLabel();
            Label unchanged = code.newLabel();
            // an invalidation takes an epoch greater than any before, and the mode, whose change may bring back an
            // older one, stays the same inside a region: code changed if the epoch at entry is now less
            code.lload(ENTRY_EPOCH).aload(EXECUTOR_SLOT).invokevirtual(EXECUTOR, "codeEpoch", CODE_EPOCH);
            RareJump.ifLess(code, changed);
            code.goto_(unchanged);
            code.labelBinding(changed);
            Block block = region.blocks()[k];
            blockStart(k, block.offsetOf(i + 1));
            code.lstore(TARGET);
            addExecuted(i + 1);
            code.goto_(exit);
            code.labelBinding(unchanged);
        }

        private void emitBranch(int k, long w) {
            readRegister(rs1(w));
            readRegister(rs2(w));
            int op = Decoded.op(w);
            if (op == Op.BLTU || op == Op.BGEU) {
                code.invokestatic(LONG, "compareUnsigned", COMPARE);
            } else {
                code.lcmp();
            }
            Label notTaken = code.newLabel();
            switch (op) {
                case Op.BEQ -> code.ifne(notTaken);
                case Op.BNE -> code.ifeq(notTaken);
                case Op.BLT, Op.BLTU -> code.ifge(notTaken);
                default -> code.iflt(notTaken);
            }
            transfer(k, imm(w));
            code.labelBinding(notTaken);
            transfer(k, region.blocks()[k].byteLength);
        }

        /**
         * Ends block {@code k}, retiring it, and continues {@code offset} bytes from its start: a jump when the
         * region holds that block (checking attention and budget first on a back edge), else an exit.
         */
        private void transfer(int k, long offset) {
            Block block = region.blocks()[k];
            long target = region.offsets()[k] + offset;
            int successor = region.indexOf(target);
            addExecuted(block.code.length);
            if (successor < 0) {
                blockStart(k, offset);
                code.lstore(TARGET).goto_(exit);
                return;
            }
            if (successor <= k) {
                Label leave = code.newLabel();
                // The jump back is a goto with nothing on the operand stack: the JVM polls for a safepoint there,
                // and a poll at the compare's branch would make it keep the compare's result for deoptimization.
                code.aload(HART_SLOT).getfield(HART, "attention", ConstantDescs.CD_boolean).ifne(leave);
                code.lload(EXECUTED).lload(BUDGET);
                RareJump.ifNotLess(code, leave);
                code.goto_(blockLabels[successor]);
                code.labelBinding(leave);
                blockStart(k, offset);
                code.lstore(TARGET).goto_(exit);
                return;
            }
            code.goto_(blockLabels[successor]);
        }

        private void addExecuted(int count) {
            code.lload(EXECUTED).loadConstant((long) count).ladd().lstore(EXECUTED);
        }

        /** Leaves the value a register-writing instruction produces on the stack. */
        private void emitValue(int k, int index, long w, int op) {
            long imm = imm(w);
            switch (op) {
                case Op.LUI -> code.loadConstant(imm);
                case Op.AUIPC -> blockStart(k, imm);
                case Op.LB, Op.LH, Op.LW, Op.LD, Op.LBU, Op.LHU, Op.LWU -> emitLoad(k, index, w, op);
                case Op.ADDI -> readRegister(rs1(w)).loadConstant(imm).ladd();
                case Op.SLTI -> alu(readRegister(rs1(w)).loadConstant(imm), "lessThan");
                case Op.SLTIU -> alu(readRegister(rs1(w)).loadConstant(imm), "lessThanUnsigned");
                case Op.XORI -> readRegister(rs1(w)).loadConstant(imm).lxor();
                case Op.ORI -> readRegister(rs1(w)).loadConstant(imm).lor();
                case Op.ANDI -> readRegister(rs1(w)).loadConstant(imm).land();
                case Op.SLLI -> readRegister(rs1(w)).loadConstant((int) imm).lshl();
                case Op.SRLI -> readRegister(rs1(w)).loadConstant((int) imm).lushr();
                case Op.SRAI -> readRegister(rs1(w)).loadConstant((int) imm).lshr();
                case Op.ADDIW -> word(readRegister(rs1(w)).loadConstant(imm).ladd());
                case Op.SLLIW -> word(readRegister(rs1(w)).loadConstant((int) imm).lshl());
                case Op.SRLIW -> word(unsigned32(readRegister(rs1(w))).loadConstant((int) imm).lushr());
                case Op.SRAIW -> word(word(readRegister(rs1(w))).loadConstant((int) imm).lshr());
                default -> {
                    if (Op.isBitManip(op)) {
                        emitBitManip(w, op);
                    } else {
                        emitRegisterOperation(w, op);
                    }
                }
            }
        }

        /** A call to the instruction's {@link BitManip} method on rs1 and, for binary ones, rs2 or the immediate. */
        private void emitBitManip(long w, int op) {
            readRegister(rs1(w));
            switch (op) {
                case Op.ADD_UW -> withRegister(w, "addUnsignedWord");
                case Op.SH1ADD -> withRegister(w, "shift1Add");
                case Op.SH2ADD -> withRegister(w, "shift2Add");
                case Op.SH3ADD -> withRegister(w, "shift3Add");
                case Op.SH1ADD_UW -> withRegister(w, "shift1AddUnsignedWord");
                case Op.SH2ADD_UW -> withRegister(w, "shift2AddUnsignedWord");
                case Op.SH3ADD_UW -> withRegister(w, "shift3AddUnsignedWord");
                case Op.ANDN -> withRegister(w, "andNot");
                case Op.ORN -> withRegister(w, "orNot");
                case Op.XNOR -> withRegister(w, "exclusiveNor");
                case Op.MAX -> withRegister(w, "max");
                case Op.MAXU -> withRegister(w, "maxUnsigned");
                case Op.MIN -> withRegister(w, "min");
                case Op.MINU -> withRegister(w, "minUnsigned");
                case Op.ROL -> withRegister(w, "rotateLeft");
                case Op.ROLW -> withRegister(w, "rotateLeftWord");
                case Op.ROR -> withRegister(w, "rotateRight");
                case Op.RORW -> withRegister(w, "rotateRightWord");
                case Op.CLMUL -> withRegister(w, "carrylessMultiply");
                case Op.CLMULH -> withRegister(w, "carrylessMultiplyHigh");
                case Op.CLMULR -> withRegister(w, "carrylessMultiplyReversed");
                case Op.BCLR -> withRegister(w, "bitClear");
                case Op.BEXT -> withRegister(w, "bitExtract");
                case Op.BINV -> withRegister(w, "bitInvert");
                case Op.BSET -> withRegister(w, "bitSet");
                case Op.SLLI_UW -> withImmediate(w, "shiftLeftUnsignedWord");
                case Op.RORI -> withImmediate(w, "rotateRight");
                case Op.RORIW -> withImmediate(w, "rotateRightWord");
                case Op.BCLRI -> withImmediate(w, "bitClear");
                case Op.BEXTI -> withImmediate(w, "bitExtract");
                case Op.BINVI -> withImmediate(w, "bitInvert");
                case Op.BSETI -> withImmediate(w, "bitSet");
                case Op.CLZ -> unary("countLeadingZeros");
                case Op.CLZW -> unary("countLeadingZerosWord");
                case Op.CTZ -> unary("countTrailingZeros");
                case Op.CTZW -> unary("countTrailingZerosWord");
                case Op.CPOP -> unary("populationCount");
                case Op.CPOPW -> unary("populationCountWord");
                case Op.SEXT_B -> unary("signExtendByte");
                case Op.SEXT_H -> unary("signExtendHalf");
                case Op.ZEXT_H -> unary("zeroExtendHalf");
                case Op.ORC_B -> unary("orCombineBytes");
                case Op.REV8 -> unary("reverseBytes");
                default -> throw new IllegalStateException("op " + op + " is not a bit-manipulation instruction");
            }
        }

        private void withRegister(long w, String operation) {
            readRegister(rs2(w)).invokestatic(BIT_MANIP, operation, LONG_LONG_TO_LONG);
        }

        private void withImmediate(long w, String operation) {
            code.loadConstant((long) imm(w)).invokestatic(BIT_MANIP, operation, LONG_LONG_TO_LONG);
        }

        private void unary(String operation) {
            code.invokestatic(BIT_MANIP, operation, LONG_TO_LONG);
        }

        private void emitLoad(int k, int index, long w, int op) {
            address(w);
            int sizeLog2 = switch (op) {
                case Op.LB, Op.LBU -> 0;
                case Op.LH, Op.LHU -> 1;
                case Op.LW, Op.LWU -> 2;
                default -> 3;
            };
            MEMORY.emitLoad(code, sizeLog2, op == Op.LB || op == Op.LH || op == Op.LW || op == Op.LD,
                    pages[pageKey(w)], handOverAt(k, index));
        }

        private void emitRegisterOperation(long w, int op) {
            readRegister(rs1(w));
            switch (op) {
                case Op.SRLW, Op.DIVUW, Op.REMUW -> unsigned32(code);
                case Op.SRAW, Op.DIVW, Op.REMW -> word(code);
                default -> {
                }
            }
            readRegister(rs2(w));
            switch (op) {
                case Op.DIVUW, Op.REMUW -> unsigned32(code);
                case Op.DIVW, Op.REMW -> word(code);
                case Op.SLL, Op.SRL, Op.SRA -> code.l2i();
                case Op.SLLW, Op.SRLW, Op.SRAW -> code.l2i().loadConstant(31).iand();
                default -> {
                }
            }
            switch (op) {
                case Op.ADD -> code.ladd();
                case Op.SUB -> code.lsub();
                case Op.SLL -> code.lshl();
                case Op.SLT -> alu(code, "lessThan");
                case Op.SLTU -> alu(code, "lessThanUnsigned");
                case Op.XOR -> code.lxor();
                case Op.SRL -> code.lushr();
                case Op.SRA -> code.lshr();
                case Op.OR -> code.lor();
                case Op.AND -> code.land();
                case Op.ADDW -> word(code.ladd());
                case Op.SUBW -> word(code.lsub());
                case Op.SLLW -> word(code.lshl());
                case Op.SRLW -> word(code.lushr());
                case Op.SRAW -> word(code.lshr());
                case Op.MUL -> code.lmul();
                case Op.MULH -> code.invokestatic(MATH, "multiplyHigh", LONG_LONG_TO_LONG);
                case Op.MULHSU -> alu(code, "multiplyHighSignedUnsigned");
                case Op.MULHU -> code.invokestatic(MATH, "unsignedMultiplyHigh", LONG_LONG_TO_LONG);
                case Op.DIV -> alu(code, "divide");
                case Op.DIVU -> alu(code, "divideUnsigned");
                case Op.REM -> alu(code, "remainder");
                case Op.REMU -> alu(code, "remainderUnsigned");
                case Op.MULW -> word(code.lmul());
                case Op.DIVW -> word(alu(code, "divide"));
                case Op.DIVUW -> word(alu(code, "divideUnsigned"));
                case Op.REMW -> word(alu(code, "remainder"));
                case Op.REMUW -> word(alu(code, "remainderUnsigned"));
                default -> throw new IllegalStateException("op " + op + " is not compilable");
            }
        }

        private static CodeBuilder alu(CodeBuilder code, String operation) {
            return code.invokestatic(ALU, operation, LONG_LONG_TO_LONG);
        }

        private static CodeBuilder word(CodeBuilder code) {
            return code.l2i().i2l();
        }

        private static CodeBuilder unsigned32(CodeBuilder code) {
            return code.invokestatic(ALU, "unsigned32", LONG_TO_LONG);
        }

        private void address(long w) {
            readRegister(rs1(w)).loadConstant((long) imm(w)).ladd();
        }

        private CodeBuilder readRegister(int register) {
            return register == 0 ? code.lconst_0() : code.lload(slot(register));
        }

        /**
         * Stores the value {@code value} pushes into a register's local and the hart's register array, or drops it
         * for x0.
         */
        private void setRegister(int register, Runnable value) {
            value.run();
            if (register == Decoded.DISCARD) {
                code.pop2();
                return;
            }
            code.lstore(slot(register)).aload(X).loadConstant(register).lload(slot(register)).lastore();
        }
    }
}
