package io.pogo.cpu;

import java.lang.classfile.ClassFile;
import java.lang.classfile.CodeBuilder;
import java.lang.classfile.Label;
import java.lang.constant.ClassDesc;
import java.lang.constant.ConstantDescs;
import java.lang.constant.MethodTypeDesc;
import java.lang.invoke.MethodHandles;
import java.util.function.Consumer;

import static io.pogo.cpu.Decoded.imm;
import static io.pogo.cpu.Decoded.rd;
import static io.pogo.cpu.Decoded.rs1;
import static io.pogo.cpu.Decoded.rs2;

/**
 * The JIT tier: translates a hot block into a hidden class whose bytecode performs the block's instructions on the
 * register array directly, so the JVM's own JIT compiles guest blocks into straight-line machine code without the
 * interpreter's per-instruction dispatch. Integer and control-transfer instructions become bytecode, loads and
 * stores their TLB fast path in bytecode ({@link MemoryAccessEmitter}); floating-point, atomic and
 * bit-manipulation instructions become calls into {@link FloatUnit}, {@link Mmu} and {@link BitManip}. A block's last instruction, when it may leave the CPU or trap by design (CSR, ECALL, xRET,
 * fences, illegal), is left to the interpreter, which the compiled block hands over to.
 */
final class BlockCompiler {
    /**
     * Interpreted executions before a block is compiled. Generating a class and letting the JVM compile it costs
     * far more than interpreting a block a few thousand times, so only code that keeps running is compiled: a
     * Linux boot takes half the time it takes with a threshold of 64, and hot loops do not notice.
     */
    static final int THRESHOLD = 4096;

    private static final ClassDesc LONG_ARRAY = ConstantDescs.CD_long.arrayType();
    private static final ClassDesc MMU = ClassDesc.of("io.pogo.cpu.Mmu");
    private static final ClassDesc HART = ClassDesc.of("io.pogo.cpu.HartState");
    private static final ClassDesc FLOAT_UNIT = ClassDesc.of("io.pogo.cpu.FloatUnit");
    private static final ClassDesc ALU = ClassDesc.of("io.pogo.cpu.Alu");
    private static final ClassDesc BIT_MANIP = ClassDesc.of("io.pogo.cpu.BitManip");
    private static final ClassDesc MATH = ClassDesc.of("java.lang.Math");
    private static final ClassDesc LONG = ClassDesc.of("java.lang.Long");
    private static final ClassDesc COMPILED_BLOCK = ClassDesc.of("io.pogo.cpu.CompiledBlock");
    private static final MethodTypeDesc RUN = MethodTypeDesc.of(ConstantDescs.CD_int, LONG_ARRAY, MMU, HART,
            FLOAT_UNIT, ConstantDescs.CD_long);
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

    private static final int X = 1;
    private static final int MMU_SLOT = 2;
    private static final int HART_SLOT = 3;
    private static final int FLOAT_UNIT_SLOT = 4;
    private static final int START = 5;
    private static final int TARGET = 7;
    private static final int FIRST_SCRATCH = 9;
    private static final MemoryAccessEmitter MEMORY = new MemoryAccessEmitter(MMU_SLOT, HART_SLOT, FIRST_SCRATCH);

    private final MethodHandles.Lookup lookup = MethodHandles.lookup();

    /** The class file of {@code block}'s compiled form, to be charged before it is {@link #load loaded}. */
    byte[] classFile(Block block) {
        return ClassFile.of().build(ClassDesc.of("io.pogo.cpu.CompiledBlock$Guest"), classBuilder -> classBuilder
                .withFlags(ClassFile.ACC_FINAL | ClassFile.ACC_SYNTHETIC)
                .withInterfaceSymbols(COMPILED_BLOCK)
                .withMethodBody(ConstantDescs.INIT_NAME, ConstantDescs.MTD_void, ClassFile.ACC_PUBLIC, code -> code
                        .aload(0)
                        .invokespecial(ConstantDescs.CD_Object, ConstantDescs.INIT_NAME, ConstantDescs.MTD_void)
                        .return_())
                .withMethodBody("run", RUN, ClassFile.ACC_PUBLIC, code -> emitBlock(code, block)));
    }

    /**
     * Estimated host bytes a loaded compiled block takes: class metadata and mirror, a share of the JVM's own
     * compiled code, and its bytecode several times over (constant pool, method, profile).
     */
    static long footprint(byte[] classFile) {
        return 4096 + 4L * classFile.length;
    }

    /**
     * Defines the compiled block as a hidden class that is not tied to its loader for life: once the block is
     * dropped nothing refers to the class, and the JVM unloads it.
     */
    CompiledBlock load(byte[] classFile) {
        try {
            Class<?> type = lookup.defineHiddenClass(classFile, true).lookupClass();
            return (CompiledBlock) type.getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot load a compiled block", e);
        }
    }

    /** The block-ending instructions that change privileged state, leave the CPU or trap by design. */
    private static boolean isInterpretedOnly(int op) {
        return op == Op.ILLEGAL || op >= Op.FENCE_I && op <= Op.CSR;
    }

    private static void emitBlock(CodeBuilder code, Block block) {
        int count = block.code.length;
        boolean handsOver = isInterpretedOnly(Decoded.op(block.code[count - 1]));
        int compiled = handsOver ? count - 1 : count;
        if (accessesMemory(block, compiled)) {
            MEMORY.emitPrologue(code);
        }
        for (int i = 0; i < compiled; i++) {
            long w = block.code[i];
            int op = Decoded.op(w);
            if (mayFault(op) && !isLoadOrStore(op)) {
                code.aload(HART_SLOT).loadConstant(i).putfield(HART, "faultIndex", ConstantDescs.CD_int);
            }
            if (op >= Op.FIRST_FLOAT) {
                code.aload(FLOAT_UNIT_SLOT).loadConstant(w).loadConstant(block.raw[i])
                        .invokevirtual(FLOAT_UNIT, "execute", FLOAT_EXECUTE);
                continue;
            }
            switch (op) {
                case Op.NOP, Op.FENCE -> {
                }
                case Op.JAL -> {
                    setRegister(code, rd(w), c -> c.lload(START).loadConstant((long) block.byteLength).ladd());
                    exit(code, count, c -> c.lload(START).loadConstant((long) imm(w)).ladd());
                }
                case Op.JALR -> {
                    readRegister(code, rs1(w)).loadConstant((long) imm(w)).ladd().loadConstant(~1L).land()
                            .lstore(TARGET);
                    setRegister(code, rd(w), c -> c.lload(START).loadConstant((long) block.byteLength).ladd());
                    exit(code, count, c -> c.lload(TARGET));
                }
                case Op.BEQ, Op.BNE, Op.BLT, Op.BGE, Op.BLTU, Op.BGEU -> emitBranch(code, w, count);
                case Op.SB, Op.SH, Op.SW, Op.SD -> {
                    address(code, w);
                    MEMORY.emitStore(code, op - Op.SB, i, c -> readRegister(c, rs2(w)));
                }
                case Op.LR -> setRegister(code, rd(w), c -> {
                    c.aload(MMU_SLOT);
                    readRegister(c, rs1(w)).loadConstant(Decoded.rm(w)).invokevirtual(MMU, "loadReserved", LOAD);
                });
                case Op.SC -> setRegister(code, rd(w), c -> {
                    c.aload(MMU_SLOT);
                    readRegister(c, rs1(w)).loadConstant(Decoded.rm(w));
                    readRegister(c, rs2(w)).invokevirtual(MMU, "storeConditional", STORE_CONDITIONAL);
                });
                case Op.AMO -> setRegister(code, rd(w), c -> {
                    c.aload(MMU_SLOT);
                    readRegister(c, rs1(w)).loadConstant(Decoded.rm(w)).loadConstant(imm(w));
                    readRegister(c, rs2(w)).invokevirtual(MMU, "atomic", ATOMIC);
                });
                default -> {
                    int index = i;
                    setRegister(code, rd(w), c -> emitValue(c, w, op, index));
                }
            }
        }
        if (handsOver) {
            code.loadConstant(~compiled).ireturn();
        } else {
            exit(code, count, c -> c.lload(START).loadConstant((long) block.byteLength).ladd());
        }
    }

    private static boolean accessesMemory(Block block, int compiled) {
        for (int i = 0; i < compiled; i++) {
            if (isLoadOrStore(Decoded.op(block.code[i]))) {
                return true;
            }
        }
        return false;
    }

    /** Loads and stores set the fault index on their slow path only, as their fast path cannot fault. */
    private static boolean isLoadOrStore(int op) {
        return op >= Op.LB && op <= Op.SD;
    }

    /** Loads, stores, atomics and floating-point instructions: they may trap or exit mid-block. */
    private static boolean mayFault(int op) {
        return op >= Op.LB && op <= Op.SD || op >= Op.LR && op <= Op.AMO || op >= Op.FIRST_FLOAT;
    }

    private static void emitBranch(CodeBuilder code, long w, int count) {
        readRegister(code, rs1(w));
        readRegister(code, rs2(w));
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
        exit(code, count, c -> c.lload(START).loadConstant((long) imm(w)).ladd());
        code.labelBinding(notTaken);
    }

    /** Leaves the value a register-writing instruction produces on the stack. */
    private static void emitValue(CodeBuilder code, long w, int op, int index) {
        long imm = imm(w);
        switch (op) {
            case Op.LUI -> code.loadConstant(imm);
            case Op.AUIPC -> code.lload(START).loadConstant(imm).ladd();
            case Op.LB, Op.LH, Op.LW, Op.LD, Op.LBU, Op.LHU, Op.LWU -> emitLoad(code, w, op, index);
            case Op.ADDI -> readRegister(code, rs1(w)).loadConstant(imm).ladd();
            case Op.SLTI -> alu(readRegister(code, rs1(w)).loadConstant(imm), "lessThan");
            case Op.SLTIU -> alu(readRegister(code, rs1(w)).loadConstant(imm), "lessThanUnsigned");
            case Op.XORI -> readRegister(code, rs1(w)).loadConstant(imm).lxor();
            case Op.ORI -> readRegister(code, rs1(w)).loadConstant(imm).lor();
            case Op.ANDI -> readRegister(code, rs1(w)).loadConstant(imm).land();
            case Op.SLLI -> readRegister(code, rs1(w)).loadConstant((int) imm).lshl();
            case Op.SRLI -> readRegister(code, rs1(w)).loadConstant((int) imm).lushr();
            case Op.SRAI -> readRegister(code, rs1(w)).loadConstant((int) imm).lshr();
            case Op.ADDIW -> word(readRegister(code, rs1(w)).loadConstant(imm).ladd());
            case Op.SLLIW -> word(readRegister(code, rs1(w)).loadConstant((int) imm).lshl());
            case Op.SRLIW -> word(unsigned32(readRegister(code, rs1(w))).loadConstant((int) imm).lushr());
            case Op.SRAIW -> word(word(readRegister(code, rs1(w))).loadConstant((int) imm).lshr());
            default -> {
                if (Op.isBitManip(op)) {
                    emitBitManip(code, w, op);
                } else {
                    emitRegisterOperation(code, w, op);
                }
            }
        }
    }

    /** A call to the instruction's {@link BitManip} method on rs1 and, for binary ones, rs2 or the immediate. */
    private static void emitBitManip(CodeBuilder code, long w, int op) {
        readRegister(code, rs1(w));
        switch (op) {
            case Op.ADD_UW -> withRegister(code, w, "addUnsignedWord");
            case Op.SH1ADD -> withRegister(code, w, "shift1Add");
            case Op.SH2ADD -> withRegister(code, w, "shift2Add");
            case Op.SH3ADD -> withRegister(code, w, "shift3Add");
            case Op.SH1ADD_UW -> withRegister(code, w, "shift1AddUnsignedWord");
            case Op.SH2ADD_UW -> withRegister(code, w, "shift2AddUnsignedWord");
            case Op.SH3ADD_UW -> withRegister(code, w, "shift3AddUnsignedWord");
            case Op.ANDN -> withRegister(code, w, "andNot");
            case Op.ORN -> withRegister(code, w, "orNot");
            case Op.XNOR -> withRegister(code, w, "exclusiveNor");
            case Op.MAX -> withRegister(code, w, "max");
            case Op.MAXU -> withRegister(code, w, "maxUnsigned");
            case Op.MIN -> withRegister(code, w, "min");
            case Op.MINU -> withRegister(code, w, "minUnsigned");
            case Op.ROL -> withRegister(code, w, "rotateLeft");
            case Op.ROLW -> withRegister(code, w, "rotateLeftWord");
            case Op.ROR -> withRegister(code, w, "rotateRight");
            case Op.RORW -> withRegister(code, w, "rotateRightWord");
            case Op.CLMUL -> withRegister(code, w, "carrylessMultiply");
            case Op.CLMULH -> withRegister(code, w, "carrylessMultiplyHigh");
            case Op.CLMULR -> withRegister(code, w, "carrylessMultiplyReversed");
            case Op.BCLR -> withRegister(code, w, "bitClear");
            case Op.BEXT -> withRegister(code, w, "bitExtract");
            case Op.BINV -> withRegister(code, w, "bitInvert");
            case Op.BSET -> withRegister(code, w, "bitSet");
            case Op.SLLI_UW -> withImmediate(code, w, "shiftLeftUnsignedWord");
            case Op.RORI -> withImmediate(code, w, "rotateRight");
            case Op.RORIW -> withImmediate(code, w, "rotateRightWord");
            case Op.BCLRI -> withImmediate(code, w, "bitClear");
            case Op.BEXTI -> withImmediate(code, w, "bitExtract");
            case Op.BINVI -> withImmediate(code, w, "bitInvert");
            case Op.BSETI -> withImmediate(code, w, "bitSet");
            case Op.CLZ -> unary(code, "countLeadingZeros");
            case Op.CLZW -> unary(code, "countLeadingZerosWord");
            case Op.CTZ -> unary(code, "countTrailingZeros");
            case Op.CTZW -> unary(code, "countTrailingZerosWord");
            case Op.CPOP -> unary(code, "populationCount");
            case Op.CPOPW -> unary(code, "populationCountWord");
            case Op.SEXT_B -> unary(code, "signExtendByte");
            case Op.SEXT_H -> unary(code, "signExtendHalf");
            case Op.ZEXT_H -> unary(code, "zeroExtendHalf");
            case Op.ORC_B -> unary(code, "orCombineBytes");
            case Op.REV8 -> unary(code, "reverseBytes");
            default -> throw new IllegalStateException("op " + op + " is not a bit-manipulation instruction");
        }
    }

    private static void withRegister(CodeBuilder code, long w, String operation) {
        readRegister(code, rs2(w)).invokestatic(BIT_MANIP, operation, LONG_LONG_TO_LONG);
    }

    private static void withImmediate(CodeBuilder code, long w, String operation) {
        code.loadConstant((long) imm(w)).invokestatic(BIT_MANIP, operation, LONG_LONG_TO_LONG);
    }

    private static void unary(CodeBuilder code, String operation) {
        code.invokestatic(BIT_MANIP, operation, LONG_TO_LONG);
    }

    private static void emitLoad(CodeBuilder code, long w, int op, int index) {
        address(code, w);
        int sizeLog2 = switch (op) {
            case Op.LB, Op.LBU -> 0;
            case Op.LH, Op.LHU -> 1;
            case Op.LW, Op.LWU -> 2;
            default -> 3;
        };
        MEMORY.emitLoad(code, sizeLog2, op == Op.LB || op == Op.LH || op == Op.LW || op == Op.LD, index);
    }

    private static void emitRegisterOperation(CodeBuilder code, long w, int op) {
        readRegister(code, rs1(w));
        switch (op) {
            case Op.SRLW, Op.DIVUW, Op.REMUW -> unsigned32(code);
            case Op.SRAW, Op.DIVW, Op.REMW -> word(code);
            default -> {
            }
        }
        readRegister(code, rs2(w));
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

    private static void address(CodeBuilder code, long w) {
        readRegister(code, rs1(w)).loadConstant((long) imm(w)).ladd();
    }

    private static CodeBuilder readRegister(CodeBuilder code, int register) {
        return register == 0 ? code.lconst_0() : code.aload(X).loadConstant(register).laload();
    }

    private static void setRegister(CodeBuilder code, int register, Consumer<CodeBuilder> value) {
        code.aload(X).loadConstant(register);
        value.accept(code);
        code.lastore();
    }

    /** Ends the block: retires its instructions and continues at the pc the emitter leaves on the stack. */
    private static void exit(CodeBuilder code, int count, Consumer<CodeBuilder> nextPc) {
        code.aload(HART_SLOT);
        nextPc.accept(code);
        code.putfield(HART, "pc", ConstantDescs.CD_long)
                .aload(HART_SLOT).dup().getfield(HART, "retired", ConstantDescs.CD_long)
                .loadConstant((long) count).ladd().putfield(HART, "retired", ConstantDescs.CD_long)
                .loadConstant(count).ireturn();
    }
}
