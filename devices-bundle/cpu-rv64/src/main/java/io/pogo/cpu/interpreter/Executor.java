package io.pogo.cpu.interpreter;

import io.pogo.api.cpu.CsrAddress;
import io.pogo.api.cpu.DebugStop;
import io.pogo.api.cpu.ExceptionCause;
import io.pogo.api.cpu.Exit;
import io.pogo.api.cpu.ExitHandler;
import io.pogo.api.cpu.ExitKind;
import io.pogo.cpu.HartState;
import io.pogo.cpu.debug.DebugUnit;
import io.pogo.cpu.debug.Triggers;
import io.pogo.cpu.decode.Decoded;
import io.pogo.cpu.decode.Op;
import io.pogo.cpu.fpu.FloatUnit;
import io.pogo.cpu.jit.BackgroundCompiler;
import io.pogo.cpu.jit.Block;
import io.pogo.cpu.jit.CodeCache;
import io.pogo.cpu.jit.CompiledRegion;
import io.pogo.cpu.jit.JitMode;
import io.pogo.cpu.jit.RegionCompiler;
import io.pogo.cpu.mmu.MmioPort;
import io.pogo.cpu.mmu.Mmu;
import io.pogo.cpu.trap.GuestException;
import io.pogo.cpu.trap.TrapUnit;

import java.lang.invoke.MethodHandles;

import static io.pogo.cpu.decode.Decoded.imm;
import static io.pogo.cpu.decode.Decoded.rd;
import static io.pogo.cpu.decode.Decoded.rm;
import static io.pogo.cpu.decode.Decoded.rs1;
import static io.pogo.cpu.decode.Decoded.rs2;

/**
 * Executes decoded blocks: the interpreter tier, and the dispatch of compiled regions. One call runs one block, or
 * the region a hot block enters, to its end, a trap or a block-ending exit, and keeps {@link HartState#pc} and
 * {@link HartState#retired} exact at that point; inside a block the pc is implicit. Loads and stores outside RAM
 * become MMIO exits in the middle of their block, which then carries on. While execute triggers or breakpoints are
 * set, only the interpreter runs, and a block only up to the first instruction one of them watches, which then traps
 * (the guest's trigger) or stops the hart (the debugger's).
 */
public final class Executor implements MmioPort {
    private static final int NO_DESTINATION = -1;

    /*
     * The JVM compiles interpret() early, from profiles of the little a start-up runs, and compiles a call into a
     * class not yet initialized to a trap that throws the compiled method away when first reached; recompiling it
     * takes its compiler about half a second. Guests pause, or use bit manipulation, long after that; and a guest
     * whose start-up ran no 32-bit arithmetic (bench.elf's) first reaches Alu after interpret() was compiled.
     */
    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            lookup.ensureInitialized(Alu.class);
            lookup.ensureInitialized(Pause.class);
            lookup.ensureInitialized(BitManip.class);
        } catch (IllegalAccessException inSamePackage) {
            throw new ExceptionInInitializerError(inSamePackage);
        }
    }

    private final HartState hart;
    private final Mmu mmu;
    private final CodeCache codeCache;
    private final TrapUnit traps;
    private final ExitHandler exits;
    private final GuestException exception;
    private final RegionCompiler compiler = new RegionCompiler();
    private final BackgroundCompiler backgroundCompiler;
    private final JitMode jit;
    private final FloatUnit floatUnit;
    private final DebugUnit debug;
    /** Whether an execute trigger or a breakpoint is set, so block starts and lengths must be checked. */
    private boolean watchingExecution;
    /** The block being executed and its virtual start address, for exits in the middle of it. */
    private Block currentBlock;
    private long currentStart;

    public Executor(HartState hart, Mmu mmu, CodeCache codeCache, TrapUnit traps, ExitHandler exits,
                    GuestException exception, DebugUnit debug, JitMode jit, BackgroundCompiler backgroundCompiler) {
        this.hart = hart;
        this.jit = jit;
        this.backgroundCompiler = backgroundCompiler;
        this.mmu = mmu;
        this.codeCache = codeCache;
        this.traps = traps;
        this.exits = exits;
        this.exception = exception;
        this.floatUnit = new FloatUnit(hart, mmu, exception);
        this.debug = debug;
    }

    /** After the execute triggers or the breakpoints changed. */
    public void refreshWatches() {
        watchingExecution = hart.triggers.watchesExecution || debug.breakpoints.any();
    }

    /**
     * Runs blocks from the current pc until about {@code budget} instructions have executed or the run loop has
     * something to look at (attention, WFI). Returns the number of instructions accounted for.
     */
    public long run(long budget) {
        long executed = 0;
        Block previous = null;
        while (executed < budget && !hart.attention && !hart.waitingForInterrupt) {
            long pc = hart.pc;
            if (watchingExecution && breaksBefore(pc)) {
                executed++;
                previous = null;
                continue;
            }
            long epoch = codeCache.epoch();
            Block block = previous == null ? null : previous.successor(pc, epoch);
            long[] code;
            if (block == null) {
                try {
                    block = codeCache.blockAt(pc);
                } catch (GuestException fetchFault) {
                    traps.raise(fetchFault.exceptionCause(), fetchFault.tval(), pc);
                    executed++;
                    previous = null;
                    continue;
                }
                if (previous != null) {
                    previous.link(pc, block, codeCache.epoch());
                }
                code = block.code;
            } else {
                code = previous.successorCode(block);
            }
            currentBlock = block;
            currentStart = pc;
            CompiledRegion region = block.region;
            if (watchingExecution) {
                executed += execute(block, code, pc, 0, executableLength(block, pc));
            } else if (region != null) {
                executed += executeRegion(region, block, pc, budget - executed);
            } else {
                executed += execute(block, code, pc, 0, code.length);
                if (++block.executions == jit.threshold && !block.spansPages) {
                    if (jit == JitMode.EAGER) {
                        codeCache.compile(block, pc, compiler);
                    } else {
                        codeCache.submit(block, pc, backgroundCompiler);
                    }
                } else if (block.ready != null) {
                    codeCache.install(block);
                }
            }
            previous = block;
        }
        return executed;
    }

    /**
     * Executes exactly the instruction at the pc, for a single step: an execute trigger of the guest's still traps
     * before it, a breakpoint of the debugger's does not stop it.
     */
    public void step() {
        long pc = hart.pc;
        int trigger = hart.triggers.executeTrigger(pc, hart.privilege);
        if (trigger >= 0 && !hart.triggers.stopsForDebugger(trigger)) {
            traps.raise(ExceptionCause.BREAKPOINT, pc, pc);
            return;
        }
        Block block;
        try {
            block = codeCache.blockAt(pc);
        } catch (GuestException fetchFault) {
            traps.raise(fetchFault.exceptionCause(), fetchFault.tval(), pc);
            return;
        }
        currentBlock = block;
        currentStart = pc;
        execute(block, block.code, pc, 0, 1);
    }

    /**
     * Whether an execute trigger or a breakpoint fires before the instruction at {@code pc}: the guest's trigger
     * has raised its breakpoint exception, the debugger's has stopped the hart.
     */
    private boolean breaksBefore(long pc) {
        if (debug.breakpoints.at(pc)) {
            debug.stop(new DebugStop.Breakpoint(pc));
            return true;
        }
        Triggers triggers = hart.triggers;
        int trigger = triggers.watchesExecution ? triggers.executeTrigger(pc, hart.privilege) : -1;
        if (trigger < 0) {
            return false;
        }
        if (triggers.stopsForDebugger(trigger)) {
            debug.stop(new DebugStop.Breakpoint(pc));
        } else {
            traps.raise(ExceptionCause.BREAKPOINT, pc, pc);
        }
        return true;
    }

    /**
     * The index of the first instruction of {@code block} after its first one before which an execute trigger or a
     * breakpoint fires, or the block's length: how far the block may run.
     */
    private int executableLength(Block block, long start) {
        long last = start + block.byteLength - 1;
        if (!debug.breakpoints.within(start, last) && !hart.triggers.watchesExecutionIn(start, last)) {
            return block.code.length;
        }
        for (int i = 1; i < block.offsets.length; i++) {
            long pc = start + block.offsets[i];
            if (debug.breakpoints.at(pc) || hart.triggers.executeTrigger(pc, hart.privilege) >= 0) {
                return i;
            }
        }
        return block.offsets.length;
    }

    /**
     * A fault of the instruction at {@code pc}: the trap it raises, or, for an access the debugger watches, a stop
     * before it.
     */
    private void fault(GuestException guestException, long pc) {
        DebugStop stop = guestException.debugStop();
        if (stop != null) {
            hart.pc = pc;
            debug.stop(stop);
        } else {
            traps.raise(guestException.exceptionCause(), guestException.tval(), pc);
        }
    }

    /**
     * Runs a compiled region entered at {@code block}; its watched instructions aside, the region runs only while
     * nothing watches execution, as it may run many blocks. Returns the instructions accounted for: those retired,
     * and a trapping one.
     */
    private long executeRegion(CompiledRegion region, Block block, long start, long budget) {
        long before = hart.retired;
        try {
            if (region.run(this, hart.x, mmu, hart, floatUnit, start, budget) == CompiledRegion.HANDED_OVER) {
                long beforeBlock = hart.retired - before;
                // the interpreter accounts for the handed-over block whole, a trapping instruction in it included
                return beforeBlock + execute(currentBlock, currentBlock.code, currentStart, hart.faultIndex,
                        currentBlock.code.length);
            }
        } catch (GuestException guestException) {
            faultAt(guestException, currentBlock, currentStart);
            return hart.retired - before + 1;
        }
        return Math.max(1, hart.retired - before);
    }

    /**
     * Names instruction {@code index} of {@code block}, which starts at virtual address {@code start}, as the one
     * executing: a compiled region calls this before anything that may trap or exit, and before handing over.
     */
    public void at(Block block, long start, int index) {
        currentBlock = block;
        currentStart = start;
        hart.faultIndex = index;
    }

    /** The code cache's epoch, which a compiled region compares to see whether a store changed decoded code. */
    public long codeEpoch() {
        return codeCache.epoch();
    }

    /**
     * Interprets {@code block} from instruction {@code first} up to, not including, instruction {@code end}; the
     * ones before {@code first} have run but are not retired. A block cut short ends at the pc of {@code end}.
     * A fault is caught here rather than in {@link #interpret}: a handler the JVM has not yet seen run compiles to a
     * trap that discards the compiled method, and this one is small to compile again. {@code code} is the block's
     * {@link Block#code}, as the dispatch loop found it: from the link that led there, so that the block's object and
     * its instructions, both cold in code that runs a few times, are read at once rather than one after the other.
     */
    private int execute(Block block, long[] code, long start, int first, int end) {
        try {
            return interpret(block, code, start, first, end);
        } catch (GuestException guestException) {
            return faultAt(guestException, block, start);
        }
    }

    /**
     * A fault of instruction {@link HartState#faultIndex} of {@code block}, at {@code start}: retires the ones before
     * it, then traps or stops ({@link #fault}); returns the instructions accounted for in the block, the faulting one
     * included.
     */
    private int faultAt(GuestException guestException, Block block, long start) {
        int i = hart.faultIndex;
        hart.retired += i;
        fault(guestException, start + block.offsets[i]);
        return i + 1;
    }

    /**
     * {@link #execute} up to a fault, which leaves {@link HartState#faultIndex} at the faulting instruction: only
     * those that may fault or exit name themselves there, not the integer and control-transfer instructions that
     * are most of a guest's, each of which would pay a store for it.
     */
    private int interpret(Block block, long[] code, long start, int first, int end) {
        long[] x = hart.x;
        for (int i = first; i < end; i++) {
            long w = code[i];
            // the fields are taken apart once, here, where the JVM always inlines their accessors: at the cases it
            // saw rarely while profiling, it left each a call, which spilled every live register around it
            int rd = rd(w);
            int rs1 = rs1(w);
            int rs2 = rs2(w);
            int imm = imm(w);
            switch (Decoded.op(w)) {
                case Op.NOP, Op.FENCE -> {
                }
                case Op.PAUSE -> Pause.hint();
                case Op.LUI -> x[rd] = imm;
                case Op.AUIPC -> x[rd] = start + imm;
                case Op.JAL -> {
                    x[rd] = start + block.byteLength;
                    return jump(start + imm, code.length);
                }
                case Op.JALR -> {
                    long target = (x[rs1] + imm) & ~1L;
                    x[rd] = start + block.byteLength;
                    return jump(target, code.length);
                }
                case Op.BEQ -> {
                    return branch(Alu.equal(x[rs1], x[rs2]), imm, start, block);
                }
                case Op.BNE -> {
                    return branch(1 - Alu.equal(x[rs1], x[rs2]), imm, start, block);
                }
                case Op.BLT -> {
                    return branch(Alu.lessThan(x[rs1], x[rs2]), imm, start, block);
                }
                case Op.BGE -> {
                    return branch(1 - Alu.lessThan(x[rs1], x[rs2]), imm, start, block);
                }
                case Op.BLTU -> {
                    return branch(Alu.lessThanUnsigned(x[rs1], x[rs2]), imm, start, block);
                }
                case Op.BGEU -> {
                    return branch(1 - Alu.lessThanUnsigned(x[rs1], x[rs2]), imm, start, block);
                }
                case Op.LB -> x[rd] = (byte) loadAt(i, x[rs1] + imm, 0);
                case Op.LH -> x[rd] = (short) loadAt(i, x[rs1] + imm, 1);
                case Op.LW -> x[rd] = (int) loadAt(i, x[rs1] + imm, 2);
                case Op.LD -> x[rd] = loadAt(i, x[rs1] + imm, 3);
                case Op.LBU -> x[rd] = loadAt(i, x[rs1] + imm, 0);
                case Op.LHU -> x[rd] = loadAt(i, x[rs1] + imm, 1);
                case Op.LWU -> x[rd] = loadAt(i, x[rs1] + imm, 2);
                case Op.SB -> storeAt(i, x[rs1] + imm, 0, x[rs2]);
                case Op.SH -> storeAt(i, x[rs1] + imm, 1, x[rs2]);
                case Op.SW -> storeAt(i, x[rs1] + imm, 2, x[rs2]);
                case Op.SD -> storeAt(i, x[rs1] + imm, 3, x[rs2]);
                case Op.ADDI -> x[rd] = x[rs1] + imm;
                case Op.SLTI -> x[rd] = Alu.lessThan(x[rs1], imm);
                case Op.SLTIU -> x[rd] = Alu.lessThanUnsigned(x[rs1], imm);
                case Op.XORI -> x[rd] = x[rs1] ^ imm;
                case Op.ORI -> x[rd] = x[rs1] | imm;
                case Op.ANDI -> x[rd] = x[rs1] & imm;
                case Op.SLLI -> x[rd] = x[rs1] << imm;
                case Op.SRLI -> x[rd] = x[rs1] >>> imm;
                case Op.SRAI -> x[rd] = x[rs1] >> imm;
                case Op.ADD -> x[rd] = x[rs1] + x[rs2];
                case Op.SUB -> x[rd] = x[rs1] - x[rs2];
                case Op.SLL -> x[rd] = x[rs1] << x[rs2];
                case Op.SLT -> x[rd] = Alu.lessThan(x[rs1], x[rs2]);
                case Op.SLTU -> x[rd] = Alu.lessThanUnsigned(x[rs1], x[rs2]);
                case Op.XOR -> x[rd] = x[rs1] ^ x[rs2];
                case Op.SRL -> x[rd] = x[rs1] >>> x[rs2];
                case Op.SRA -> x[rd] = x[rs1] >> x[rs2];
                case Op.OR -> x[rd] = x[rs1] | x[rs2];
                case Op.AND -> x[rd] = x[rs1] & x[rs2];
                case Op.ADDIW -> x[rd] = Alu.word(x[rs1] + imm);
                case Op.SLLIW -> x[rd] = Alu.word(x[rs1] << imm);
                case Op.SRLIW -> x[rd] = Alu.word(Alu.unsigned32(x[rs1]) >>> imm);
                case Op.SRAIW -> x[rd] = Alu.word(Alu.word(x[rs1]) >> imm);
                case Op.ADDW -> x[rd] = Alu.word(x[rs1] + x[rs2]);
                case Op.SUBW -> x[rd] = Alu.word(x[rs1] - x[rs2]);
                case Op.SLLW -> x[rd] = Alu.word(x[rs1] << (x[rs2] & 31));
                case Op.SRLW -> x[rd] = Alu.word(Alu.unsigned32(x[rs1]) >>> (x[rs2] & 31));
                case Op.SRAW -> x[rd] = Alu.word(Alu.word(x[rs1]) >> (x[rs2] & 31));
                case Op.MUL -> x[rd] = x[rs1] * x[rs2];
                case Op.MULW -> x[rd] = Alu.word(x[rs1] * x[rs2]);
                /* cases rather than a test in default: a branch not yet taken would compile to a trap */
                case Op.FENCE_I, Op.ECALL, Op.EBREAK, Op.MRET, Op.SRET, Op.WFI, Op.SFENCE_VMA, Op.CSR -> {
                    hart.faultIndex = i;
                    return system(w, block, i, start);
                }
                default -> interpretUncommon(w, x, block, i);
            }
        }
        hart.retired += end;
        hart.pc = start + block.offsetOf(end);
        return end;
    }

    /**
     * The instructions a Linux boot runs rarely or never: the high halves of products, division, atomics, bit
     * manipulation, floating point, illegal ones. Apart from {@link #interpret}, whose method the JVM then compiles
     * in a fraction of the time into less code: C2 took 0.8-1.7 s over the one method of every instruction (55 KB of
     * code) while the guest booted on the same two host cores, and takes 0.2 s over each of the two. Each costs one
     * call more. MUL and MULW are {@link #interpret}'s: compiled code multiplies in ordinary loops (hashes, index
     * arithmetic), and a loop's first passes, interpreted until its region is compiled, made this method hot enough
     * for C2, which then held the JVM's one C2 thread for 0.3-0.8 s while the loop's region waited in C1's code.
     */
    private void interpretUncommon(long w, long[] x, Block block, int i) {
        hart.faultIndex = i;
        int rd = rd(w);
        int rs1 = rs1(w);
        int rs2 = rs2(w);
        int imm = imm(w);
        switch (Decoded.op(w)) {
            case Op.MULH -> x[rd] = Math.multiplyHigh(x[rs1], x[rs2]);
            case Op.MULHSU -> x[rd] = Alu.multiplyHighSignedUnsigned(x[rs1], x[rs2]);
            case Op.MULHU -> x[rd] = Math.unsignedMultiplyHigh(x[rs1], x[rs2]);
            case Op.DIV -> x[rd] = Alu.divide(x[rs1], x[rs2]);
            case Op.DIVU -> x[rd] = Alu.divideUnsigned(x[rs1], x[rs2]);
            case Op.REM -> x[rd] = Alu.remainder(x[rs1], x[rs2]);
            case Op.REMU -> x[rd] = Alu.remainderUnsigned(x[rs1], x[rs2]);
            case Op.DIVW -> x[rd] = Alu.word(Alu.divide(Alu.word(x[rs1]), Alu.word(x[rs2])));
            case Op.DIVUW -> x[rd] = Alu.word(Alu.divideUnsigned(Alu.unsigned32(x[rs1]), Alu.unsigned32(x[rs2])));
            case Op.REMW -> x[rd] = Alu.word(Alu.remainder(Alu.word(x[rs1]), Alu.word(x[rs2])));
            case Op.REMUW -> x[rd] = Alu.word(Alu.remainderUnsigned(Alu.unsigned32(x[rs1]), Alu.unsigned32(x[rs2])));
            case Op.LR -> x[rd] = mmu.loadReserved(x[rs1], rm(w));
            case Op.SC -> x[rd] = mmu.storeConditional(x[rs1], rm(w), x[rs2]);
            case Op.AMO -> x[rd] = mmu.atomic(x[rs1], rm(w), imm, x[rs2]);
            case Op.ADD_UW -> x[rd] = BitManip.addUnsignedWord(x[rs1], x[rs2]);
            case Op.SH1ADD -> x[rd] = BitManip.shift1Add(x[rs1], x[rs2]);
            case Op.SH2ADD -> x[rd] = BitManip.shift2Add(x[rs1], x[rs2]);
            case Op.SH3ADD -> x[rd] = BitManip.shift3Add(x[rs1], x[rs2]);
            case Op.SH1ADD_UW -> x[rd] = BitManip.shift1AddUnsignedWord(x[rs1], x[rs2]);
            case Op.SH2ADD_UW -> x[rd] = BitManip.shift2AddUnsignedWord(x[rs1], x[rs2]);
            case Op.SH3ADD_UW -> x[rd] = BitManip.shift3AddUnsignedWord(x[rs1], x[rs2]);
            case Op.ANDN -> x[rd] = BitManip.andNot(x[rs1], x[rs2]);
            case Op.ORN -> x[rd] = BitManip.orNot(x[rs1], x[rs2]);
            case Op.XNOR -> x[rd] = BitManip.exclusiveNor(x[rs1], x[rs2]);
            case Op.MAX -> x[rd] = BitManip.max(x[rs1], x[rs2]);
            case Op.MAXU -> x[rd] = BitManip.maxUnsigned(x[rs1], x[rs2]);
            case Op.MIN -> x[rd] = BitManip.min(x[rs1], x[rs2]);
            case Op.MINU -> x[rd] = BitManip.minUnsigned(x[rs1], x[rs2]);
            case Op.ROL -> x[rd] = BitManip.rotateLeft(x[rs1], x[rs2]);
            case Op.ROLW -> x[rd] = BitManip.rotateLeftWord(x[rs1], x[rs2]);
            case Op.ROR -> x[rd] = BitManip.rotateRight(x[rs1], x[rs2]);
            case Op.RORW -> x[rd] = BitManip.rotateRightWord(x[rs1], x[rs2]);
            case Op.CLMUL -> x[rd] = BitManip.carrylessMultiply(x[rs1], x[rs2]);
            case Op.CLMULH -> x[rd] = BitManip.carrylessMultiplyHigh(x[rs1], x[rs2]);
            case Op.CLMULR -> x[rd] = BitManip.carrylessMultiplyReversed(x[rs1], x[rs2]);
            case Op.BCLR -> x[rd] = BitManip.bitClear(x[rs1], x[rs2]);
            case Op.BEXT -> x[rd] = BitManip.bitExtract(x[rs1], x[rs2]);
            case Op.BINV -> x[rd] = BitManip.bitInvert(x[rs1], x[rs2]);
            case Op.BSET -> x[rd] = BitManip.bitSet(x[rs1], x[rs2]);
            case Op.SLLI_UW -> x[rd] = BitManip.shiftLeftUnsignedWord(x[rs1], imm);
            case Op.RORI -> x[rd] = BitManip.rotateRight(x[rs1], imm);
            case Op.RORIW -> x[rd] = BitManip.rotateRightWord(x[rs1], imm);
            case Op.BCLRI -> x[rd] = BitManip.bitClear(x[rs1], imm);
            case Op.BEXTI -> x[rd] = BitManip.bitExtract(x[rs1], imm);
            case Op.BINVI -> x[rd] = BitManip.bitInvert(x[rs1], imm);
            case Op.BSETI -> x[rd] = BitManip.bitSet(x[rs1], imm);
            case Op.CLZ -> x[rd] = BitManip.countLeadingZeros(x[rs1]);
            case Op.CLZW -> x[rd] = BitManip.countLeadingZerosWord(x[rs1]);
            case Op.CTZ -> x[rd] = BitManip.countTrailingZeros(x[rs1]);
            case Op.CTZW -> x[rd] = BitManip.countTrailingZerosWord(x[rs1]);
            case Op.CPOP -> x[rd] = BitManip.populationCount(x[rs1]);
            case Op.CPOPW -> x[rd] = BitManip.populationCountWord(x[rs1]);
            case Op.SEXT_B -> x[rd] = BitManip.signExtendByte(x[rs1]);
            case Op.SEXT_H -> x[rd] = BitManip.signExtendHalf(x[rs1]);
            case Op.ZEXT_H -> x[rd] = BitManip.zeroExtendHalf(x[rs1]);
            case Op.ORC_B -> x[rd] = BitManip.orCombineBytes(x[rs1]);
            case Op.REV8 -> x[rd] = BitManip.reverseBytes(x[rs1]);
            case Op.ILLEGAL -> throw illegalInstruction(block, i);
            default -> floatUnit.execute(w, block.raw[i]);
        }
    }

    /** The load of instruction {@code i}, named for a fault or an MMIO exit. */
    private long loadAt(int i, long virtualAddress, int sizeLog2) {
        hart.faultIndex = i;
        return mmu.load(virtualAddress, sizeLog2);
    }

    /** The store of instruction {@code i}, named for a fault or an MMIO exit. */
    private void storeAt(int i, long virtualAddress, int sizeLog2, long value) {
        hart.faultIndex = i;
        mmu.store(virtualAddress, sizeLog2, value);
    }

    private int jump(long target, int count) {
        hart.retired += count;
        hart.pc = target;
        return count;
    }

    /**
     * Ends {@code block} with a conditional branch, {@code taken} 1 or 0 ({@link Alu}'s comparisons): the target is
     * selected by a mask rather than a branch, for the reason those compare without one; and the method is small
     * enough in bytecode (at most 35 bytes) for the JVM to inline at every branch, however rare.
     */
    private int branch(long taken, int offset, long start, Block block) {
        return jump(start + block.byteLength + ((offset - block.byteLength) & -taken), block.code.length);
    }

    private GuestException illegalInstruction(Block block, int i) {
        return exception.raise(ExceptionCause.ILLEGAL_INSTRUCTION, block.raw[i] & 0xFFFF_FFFFL);
    }

    /** The block-ending instructions that change privileged state or leave the CPU. */
    private int system(long w, Block block, int i, long start) {
        long pc = start + block.offsets[i];
        return switch (Decoded.op(w)) {
            case Op.CSR -> csrAccess(w, block, i, start);
            case Op.ECALL -> environmentCall(block, i, start);
            case Op.EBREAK -> throw exception.raise(ExceptionCause.BREAKPOINT, pc);
            case Op.FENCE_I -> {
                codeCache.fenceInstructions();
                yield jump(start + block.byteLength, i + 1);
            }
            case Op.MRET -> exit(ExitKind.MRET, block, i, start, 0, 0, NO_DESTINATION);
            case Op.SRET -> exit(ExitKind.SRET, block, i, start, 0, 0, NO_DESTINATION);
            case Op.WFI -> exit(ExitKind.WFI, block, i, start, 0, 0, NO_DESTINATION);
            case Op.SFENCE_VMA -> exit(ExitKind.SFENCE_VMA, block, i, start, hart.x[rs1(w)], hart.x[rs2(w)],
                    NO_DESTINATION);
            default -> throw new IllegalStateException("no execution for op " + Decoded.op(w));
        };
    }

    private int csrAccess(long w, Block block, int i, long start) {
        int funct3 = (block.raw[i] >>> 12) & 7;
        int source = rs1(w);
        boolean immediate = funct3 >= 5;
        boolean writes = (funct3 & 3) == 1 || source != 0;
        int csr = imm(w) & 0xFFF;
        ExitKind kind = csr == CsrAddress.SATP && writes ? ExitKind.SATP_WRITE : ExitKind.CSR_ACCESS;
        return exit(kind, block, i, start, csr, immediate ? source : hart.x[source], rd(w));
    }

    private int environmentCall(Block block, int i, long start) {
        int privilege = hart.privilege;
        if (privilege == 1 && hart.config.hypercalls()) {
            return exit(ExitKind.HYPERCALL, block, i, start, 0, 0, NO_DESTINATION);
        }
        ExceptionCause cause = switch (privilege) {
            case 0 -> ExceptionCause.ECALL_FROM_USER;
            case 1 -> ExceptionCause.ECALL_FROM_SUPERVISOR;
            default -> ExceptionCause.ECALL_FROM_MACHINE;
        };
        throw exception.raise(cause, 0);
    }

    /**
     * Leaves the CPU for the monitor with the hart synced (pc past the instruction), then completes the
     * instruction with the handler's result, or traps if the handler raised an exception.
     */
    private int exit(ExitKind kind, Block block, int i, long start, long address, long value, int destination) {
        long pc = start + block.offsets[i];
        hart.retired += i;
        hart.pc = pc + block.instructionLength(i);
        hart.raisedCause = null;
        hart.exitRetires = true;
        long result = exits.handle(new Exit(kind, block.raw[i], pc, address, value, 0), hart);
        hart.exitRetires = false;
        ExceptionCause raised = hart.raisedCause;
        if (raised != null) {
            hart.raisedCause = null;
            traps.raise(raised, hart.raisedTval, pc);
            return i + 1;
        }
        if (destination != NO_DESTINATION) {
            hart.x[destination] = result;
        }
        hart.retired++;
        return i + 1;
    }

    @Override
    public long load(long virtualAddress, long physicalAddress, int size) {
        return mmioExit(ExitKind.MMIO_LOAD, virtualAddress, physicalAddress, size, 0) & sizeMask(size);
    }

    @Override
    public void store(long virtualAddress, long physicalAddress, int size, long value) {
        mmioExit(ExitKind.MMIO_STORE, virtualAddress, physicalAddress, size, value & sizeMask(size));
    }

    /**
     * An exit in the middle of the current block, for the instruction at {@link HartState#faultIndex}: the hart is
     * synced as for any exit while the handler runs, and an exception the handler raises unwinds as a fault of
     * the instruction. Access faults report the virtual address, which the handler never saw.
     */
    private long mmioExit(ExitKind kind, long virtualAddress, long physicalAddress, int size, long value) {
        Block block = currentBlock;
        int i = hart.faultIndex;
        long pc = currentStart + block.offsets[i];
        hart.retired += i;
        hart.pc = pc + block.instructionLength(i);
        hart.raisedCause = null;
        long result = exits.handle(new Exit(kind, block.raw[i], pc, physicalAddress, value, size), hart);
        hart.retired -= i;
        ExceptionCause raised = hart.raisedCause;
        if (raised != null) {
            hart.raisedCause = null;
            boolean accessFault = raised == ExceptionCause.LOAD_ACCESS_FAULT || raised == ExceptionCause.STORE_ACCESS_FAULT;
            throw exception.raise(raised, accessFault ? virtualAddress : hart.raisedTval);
        }
        return result;
    }

    private static long sizeMask(int size) {
        return size == 8 ? -1L : (1L << (8 * size)) - 1;
    }
}
