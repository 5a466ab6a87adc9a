package io.pogo.cpu.decode;

import static io.pogo.cpu.decode.Decoded.packIntDest;

/**
 * Decodes Zba, Zbb, Zbc and Zbs, which live in the encodings the base OP, OP-32, OP-IMM and OP-IMM-32 groups leave
 * reserved; {@link Decoder} asks here only for those. The RV32-only encodings (rev8 with immediate 0x698, zext.h
 * in OP) and shift amounts of 64 and up (32 and up for RORIW) stay illegal, as on QEMU.
 */
final class BitManipDecoder {
    private BitManipDecoder() {
    }

    /** OP (0x33) with the funct7 of a bit-manipulation instruction. */
    static long op(int funct3, int funct7, int rd, int rs1, int rs2) {
        int op = switch (funct7) {
            case 0x20 -> switch (funct3) {
                case 4 -> Op.XNOR;
                case 6 -> Op.ORN;
                case 7 -> Op.ANDN;
                default -> Op.ILLEGAL;
            };
            case 0x10 -> switch (funct3) {
                case 2 -> Op.SH1ADD;
                case 4 -> Op.SH2ADD;
                case 6 -> Op.SH3ADD;
                default -> Op.ILLEGAL;
            };
            case 0x05 -> switch (funct3) {
                case 1 -> Op.CLMUL;
                case 2 -> Op.CLMULR;
                case 3 -> Op.CLMULH;
                case 4 -> Op.MIN;
                case 5 -> Op.MINU;
                case 6 -> Op.MAX;
                case 7 -> Op.MAXU;
                default -> Op.ILLEGAL;
            };
            case 0x30 -> switch (funct3) {
                case 1 -> Op.ROL;
                case 5 -> Op.ROR;
                default -> Op.ILLEGAL;
            };
            case 0x24 -> switch (funct3) {
                case 1 -> Op.BCLR;
                case 5 -> Op.BEXT;
                default -> Op.ILLEGAL;
            };
            case 0x34 -> funct3 == 1 ? Op.BINV : Op.ILLEGAL;
            case 0x14 -> funct3 == 1 ? Op.BSET : Op.ILLEGAL;
            default -> Op.ILLEGAL;
        };
        return op == Op.ILLEGAL ? Decoder.ILLEGAL : packIntDest(op, rd, rs1, rs2, 0);
    }

    /** OP-32 (0x3B) with the funct7 of a bit-manipulation instruction. */
    static long op32(int funct3, int funct7, int rd, int rs1, int rs2) {
        int op = switch (funct7) {
            case 0x04 -> switch (funct3) {
                case 0 -> Op.ADD_UW;
                case 4 -> rs2 == 0 ? Op.ZEXT_H : Op.ILLEGAL;
                default -> Op.ILLEGAL;
            };
            case 0x10 -> switch (funct3) {
                case 2 -> Op.SH1ADD_UW;
                case 4 -> Op.SH2ADD_UW;
                case 6 -> Op.SH3ADD_UW;
                default -> Op.ILLEGAL;
            };
            case 0x30 -> switch (funct3) {
                case 1 -> Op.ROLW;
                case 5 -> Op.RORW;
                default -> Op.ILLEGAL;
            };
            default -> Op.ILLEGAL;
        };
        return op == Op.ILLEGAL ? Decoder.ILLEGAL : packIntDest(op, rd, rs1, rs2, 0);
    }

    /**
     * OP-IMM (0x13) with funct3 1 or 5 and a top immediate that is not a base shift. The unary instructions are
     * whole 12-bit immediates; the others are a 6-bit function and a 6-bit shift amount or bit index.
     */
    static long opImm(int funct3, int rd, int rs1, int imm12) {
        int unary = switch (funct3 << 12 | imm12) {
            case 0x1600 -> Op.CLZ;
            case 0x1601 -> Op.CTZ;
            case 0x1602 -> Op.CPOP;
            case 0x1604 -> Op.SEXT_B;
            case 0x1605 -> Op.SEXT_H;
            case 0x5287 -> Op.ORC_B;
            case 0x56B8 -> Op.REV8;
            default -> Op.ILLEGAL;
        };
        if (unary != Op.ILLEGAL) {
            return packIntDest(unary, rd, rs1, 0, 0);
        }
        int op = switch (funct3 << 6 | imm12 >>> 6) {
            case 1 << 6 | 0x12 -> Op.BCLRI;
            case 1 << 6 | 0x1A -> Op.BINVI;
            case 1 << 6 | 0x0A -> Op.BSETI;
            case 5 << 6 | 0x12 -> Op.BEXTI;
            case 5 << 6 | 0x18 -> Op.RORI;
            default -> Op.ILLEGAL;
        };
        return op == Op.ILLEGAL ? Decoder.ILLEGAL : packIntDest(op, rd, rs1, 0, imm12 & 0x3F);
    }

    /** OP-IMM-32 (0x1B) with funct3 1 or 5 and a top immediate that is not a base shift. */
    static long opImm32(int funct3, int rd, int rs1, int imm12) {
        int unary = switch (funct3 << 12 | imm12) {
            case 0x1600 -> Op.CLZW;
            case 0x1601 -> Op.CTZW;
            case 0x1602 -> Op.CPOPW;
            default -> Op.ILLEGAL;
        };
        if (unary != Op.ILLEGAL) {
            return packIntDest(unary, rd, rs1, 0, 0);
        }
        if (funct3 == 1 && imm12 >>> 6 == 0x02) {
            return packIntDest(Op.SLLI_UW, rd, rs1, 0, imm12 & 0x3F);
        }
        if (funct3 == 5 && imm12 >>> 5 == 0x30) {
            return packIntDest(Op.RORIW, rd, rs1, 0, imm12 & 0x1F);
        }
        return Decoder.ILLEGAL;
    }
}
