package io.pogo.cpu.decode;

import static io.pogo.cpu.decode.Decoded.pack;
import static io.pogo.cpu.decode.Decoded.packIntDest;

/** Decodes one 32-bit instruction into its {@link Decoded} form; anything reserved becomes {@link Op#ILLEGAL}. */
public final class Decoder {
    static final long ILLEGAL = pack(Op.ILLEGAL, 0, 0, 0, 0, 0, 0);
    /** PAUSE: FENCE with pred = W, succ = 0, fm = 0, rs1 = rd = 0. */
    private static final int PAUSE = 0x0100_000F;

    private Decoder() {
    }

    public static long decode(int raw) {
        if ((raw & 0b11) != 0b11) {
            return ILLEGAL;
        }
        int rd = (raw >>> 7) & 31;
        int rs1 = (raw >>> 15) & 31;
        int rs2 = (raw >>> 20) & 31;
        int funct3 = (raw >>> 12) & 7;
        int funct7 = raw >>> 25;
        return switch ((raw >>> 2) & 31) {
            case 0x0D -> packIntDest(Op.LUI, rd, 0, 0, raw & 0xFFFF_F000);
            case 0x05 -> packIntDest(Op.AUIPC, rd, 0, 0, raw & 0xFFFF_F000);
            case 0x1B -> packIntDest(Op.JAL, rd, 0, 0, jImmediate(raw));
            case 0x19 -> funct3 == 0 ? packIntDest(Op.JALR, rd, rs1, 0, iImmediate(raw)) : ILLEGAL;
            case 0x18 -> branch(funct3, rs1, rs2, bImmediate(raw));
            case 0x00 -> load(funct3, rd, rs1, iImmediate(raw));
            case 0x08 -> store(funct3, rs1, rs2, sImmediate(raw));
            case 0x04 -> opImm(funct3, funct7, rd, rs1, raw);
            case 0x06 -> opImm32(funct3, funct7, rd, rs1, raw);
            case 0x0C -> op(funct3, funct7, rd, rs1, rs2);
            case 0x0E -> op32(funct3, funct7, rd, rs1, rs2);
            case 0x0B -> atomic(funct3, funct7, rd, rs1, rs2);
            case 0x03 -> miscMem(raw, funct3);
            case 0x1C -> system(raw, funct3, funct7, rd, rs1);
            case 0x01, 0x09, 0x10, 0x11, 0x12, 0x13, 0x14 -> FloatDecoder.decode(raw);
            default -> ILLEGAL;
        };
    }

    static int iImmediate(int raw) {
        return raw >> 20;
    }

    static int sImmediate(int raw) {
        return (raw >> 25) << 5 | (raw >>> 7) & 0x1F;
    }

    private static int bImmediate(int raw) {
        return (raw >> 31) << 12 | ((raw >>> 7) & 1) << 11 | ((raw >>> 25) & 0x3F) << 5 | ((raw >>> 8) & 0xF) << 1;
    }

    private static int jImmediate(int raw) {
        return (raw >> 31) << 20 | raw & 0xF_F000 | ((raw >>> 20) & 1) << 11 | ((raw >>> 21) & 0x3FF) << 1;
    }

    private static long branch(int funct3, int rs1, int rs2, int imm) {
        int op = switch (funct3) {
            case 0 -> Op.BEQ;
            case 1 -> Op.BNE;
            case 4 -> Op.BLT;
            case 5 -> Op.BGE;
            case 6 -> Op.BLTU;
            case 7 -> Op.BGEU;
            default -> Op.ILLEGAL;
        };
        return op == Op.ILLEGAL ? ILLEGAL : pack(op, 0, rs1, rs2, 0, 0, imm);
    }

    private static long load(int funct3, int rd, int rs1, int imm) {
        int op = switch (funct3) {
            case 0 -> Op.LB;
            case 1 -> Op.LH;
            case 2 -> Op.LW;
            case 3 -> Op.LD;
            case 4 -> Op.LBU;
            case 5 -> Op.LHU;
            case 6 -> Op.LWU;
            default -> Op.ILLEGAL;
        };
        return op == Op.ILLEGAL ? ILLEGAL : packIntDest(op, rd, rs1, 0, imm);
    }

    private static long store(int funct3, int rs1, int rs2, int imm) {
        int op = switch (funct3) {
            case 0 -> Op.SB;
            case 1 -> Op.SH;
            case 2 -> Op.SW;
            case 3 -> Op.SD;
            default -> Op.ILLEGAL;
        };
        return op == Op.ILLEGAL ? ILLEGAL : pack(op, 0, rs1, rs2, 0, 0, imm);
    }

    private static long opImm(int funct3, int funct7, int rd, int rs1, int raw) {
        int imm = iImmediate(raw);
        int shamt = imm & 0x3F;
        int op = switch (funct3) {
            case 0 -> Op.ADDI;
            case 2 -> Op.SLTI;
            case 3 -> Op.SLTIU;
            case 4 -> Op.XORI;
            case 6 -> Op.ORI;
            case 7 -> Op.ANDI;
            case 1 -> (funct7 >>> 1) == 0 ? Op.SLLI : Op.ILLEGAL;
            case 5 -> switch (funct7 >>> 1) {
                case 0 -> Op.SRLI;
                case 0x10 -> Op.SRAI;
                default -> Op.ILLEGAL;
            };
            default -> Op.ILLEGAL;
        };
        if (op == Op.ILLEGAL) {
            return BitManipDecoder.opImm(funct3, rd, rs1, raw >>> 20);
        }
        return packIntDest(op, rd, rs1, 0, funct3 == 1 || funct3 == 5 ? shamt : imm);
    }

    private static long opImm32(int funct3, int funct7, int rd, int rs1, int raw) {
        int op = switch (funct3) {
            case 0 -> Op.ADDIW;
            case 1 -> funct7 == 0 ? Op.SLLIW : Op.ILLEGAL;
            case 5 -> switch (funct7) {
                case 0 -> Op.SRLIW;
                case 0x20 -> Op.SRAIW;
                default -> Op.ILLEGAL;
            };
            default -> Op.ILLEGAL;
        };
        if (op == Op.ILLEGAL) {
            return BitManipDecoder.opImm32(funct3, rd, rs1, raw >>> 20);
        }
        int imm = iImmediate(raw);
        return packIntDest(op, rd, rs1, 0, funct3 == 0 ? imm : imm & 0x1F);
    }

    private static long op(int funct3, int funct7, int rd, int rs1, int rs2) {
        int op = switch (funct7) {
            case 0 -> switch (funct3) {
                case 0 -> Op.ADD;
                case 1 -> Op.SLL;
                case 2 -> Op.SLT;
                case 3 -> Op.SLTU;
                case 4 -> Op.XOR;
                case 5 -> Op.SRL;
                case 6 -> Op.OR;
                default -> Op.AND;
            };
            case 0x20 -> switch (funct3) {
                case 0 -> Op.SUB;
                case 5 -> Op.SRA;
                default -> Op.ILLEGAL;
            };
            case 1 -> switch (funct3) {
                case 0 -> Op.MUL;
                case 1 -> Op.MULH;
                case 2 -> Op.MULHSU;
                case 3 -> Op.MULHU;
                case 4 -> Op.DIV;
                case 5 -> Op.DIVU;
                case 6 -> Op.REM;
                default -> Op.REMU;
            };
            default -> Op.ILLEGAL;
        };
        return op == Op.ILLEGAL ? BitManipDecoder.op(funct3, funct7, rd, rs1, rs2) : packIntDest(op, rd, rs1, rs2, 0);
    }

    private static long op32(int funct3, int funct7, int rd, int rs1, int rs2) {
        int op = switch (funct7) {
            case 0 -> switch (funct3) {
                case 0 -> Op.ADDW;
                case 1 -> Op.SLLW;
                case 5 -> Op.SRLW;
                default -> Op.ILLEGAL;
            };
            case 0x20 -> switch (funct3) {
                case 0 -> Op.SUBW;
                case 5 -> Op.SRAW;
                default -> Op.ILLEGAL;
            };
            case 1 -> switch (funct3) {
                case 0 -> Op.MULW;
                case 4 -> Op.DIVW;
                case 5 -> Op.DIVUW;
                case 6 -> Op.REMW;
                case 7 -> Op.REMUW;
                default -> Op.ILLEGAL;
            };
            default -> Op.ILLEGAL;
        };
        return op == Op.ILLEGAL ? BitManipDecoder.op32(funct3, funct7, rd, rs1, rs2) : packIntDest(op, rd, rs1, rs2, 0);
    }

    private static long atomic(int funct3, int funct7, int rd, int rs1, int rs2) {
        if (funct3 != 2 && funct3 != 3) {
            return ILLEGAL;
        }
        int function = funct7 >>> 2;
        int op = switch (function) {
            case Amo.LR -> rs2 == 0 ? Op.LR : Op.ILLEGAL;
            case Amo.SC -> Op.SC;
            default -> Amo.isFunction(function) ? Op.AMO : Op.ILLEGAL;
        };
        if (op == Op.ILLEGAL) {
            return ILLEGAL;
        }
        return pack(op, rd == 0 ? Decoded.DISCARD : rd, rs1, rs2, 0, funct3, function);
    }

    /**
     * FENCE ignores its fm, pred, succ, rs1 and rd fields: so do the FENCE hints, PAUSE (Zihintpause) aside, which
     * orders no more than they do but tells that the hart spins.
     */
    private static long miscMem(int raw, int funct3) {
        return switch (funct3) {
            case 0 -> pack(raw == PAUSE ? Op.PAUSE : Op.FENCE, 0, 0, 0, 0, 0, 0);
            case 1 -> pack(Op.FENCE_I, 0, 0, 0, 0, 0, 0);
            default -> ILLEGAL;
        };
    }

    private static long system(int raw, int funct3, int funct7, int rd, int rs1) {
        if (funct3 == 0) {
            if (funct7 == 0b0001001 && rd == 0) {
                return pack(Op.SFENCE_VMA, 0, rs1, (raw >>> 20) & 31, 0, 0, 0);
            }
            int op = switch (raw) {
                case 0x0000_0073 -> Op.ECALL;
                case 0x0010_0073 -> Op.EBREAK;
                case 0x1020_0073 -> Op.SRET;
                case 0x3020_0073 -> Op.MRET;
                case 0x1050_0073 -> Op.WFI;
                default -> Op.ILLEGAL;
            };
            return op == Op.ILLEGAL ? ILLEGAL : pack(op, 0, 0, 0, 0, 0, 0);
        }
        if (funct3 == 4) {
            return ILLEGAL;
        }
        return packIntDest(Op.CSR, rd, rs1, 0, raw >>> 20);
    }
}
