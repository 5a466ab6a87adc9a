package io.pogo.cpu.decode;

/**
 * Expands a 16-bit RVC instruction into the 32-bit instruction it stands for, so both share one decoder.
 * Returns 0 (itself an illegal instruction) for every reserved encoding.
 */
public final class CompressedExpander {
    private static final int LOAD = 0x03;
    private static final int LOAD_FP = 0x07;
    private static final int OP_IMM = 0x13;
    private static final int OP_IMM_32 = 0x1B;
    private static final int STORE = 0x23;
    private static final int STORE_FP = 0x27;
    private static final int OP = 0x33;
    private static final int LUI = 0x37;
    private static final int OP_32 = 0x3B;
    private static final int BRANCH = 0x63;
    private static final int JALR = 0x67;
    private static final int JAL = 0x6F;
    private static final int SP = 2;

    private CompressedExpander() {
    }

    public static int expand(int c) {
        return switch (c & 3) {
            case 0 -> quadrant0(c);
            case 1 -> quadrant1(c);
            case 2 -> quadrant2(c);
            default -> throw new IllegalArgumentException("not a compressed instruction");
        };
    }

    private static int bits(int c, int high, int low) {
        return (c >>> low) & ((1 << (high - low + 1)) - 1);
    }

    /** A 3-bit register field naming x8..x15. */
    private static int prime(int c, int low) {
        return 8 + bits(c, low + 2, low);
    }

    private static int signed6(int c) {
        return (bits(c, 12, 12) << 5 | bits(c, 6, 2)) << 26 >> 26;
    }

    private static int quadrant0(int c) {
        int rdOrRs2 = prime(c, 2);
        int rs1 = prime(c, 7);
        int doubleOffset = bits(c, 12, 10) << 3 | bits(c, 6, 5) << 6;
        int wordOffset = bits(c, 12, 10) << 3 | bits(c, 6, 6) << 2 | bits(c, 5, 5) << 6;
        return switch (bits(c, 15, 13)) {
            case 0 -> {
                int imm = bits(c, 12, 11) << 4 | bits(c, 10, 7) << 6 | bits(c, 6, 6) << 2 | bits(c, 5, 5) << 3;
                yield imm == 0 ? 0 : iType(OP_IMM, rdOrRs2, 0, SP, imm);
            }
            case 1 -> iType(LOAD_FP, rdOrRs2, 3, rs1, doubleOffset);
            case 2 -> iType(LOAD, rdOrRs2, 2, rs1, wordOffset);
            case 3 -> iType(LOAD, rdOrRs2, 3, rs1, doubleOffset);
            case 5 -> sType(STORE_FP, 3, rs1, rdOrRs2, doubleOffset);
            case 6 -> sType(STORE, 2, rs1, rdOrRs2, wordOffset);
            case 7 -> sType(STORE, 3, rs1, rdOrRs2, doubleOffset);
            default -> 0;
        };
    }

    private static int quadrant1(int c) {
        int rd = bits(c, 11, 7);
        int imm = signed6(c);
        return switch (bits(c, 15, 13)) {
            case 0 -> iType(OP_IMM, rd, 0, rd, imm);
            case 1 -> rd == 0 ? 0 : iType(OP_IMM_32, rd, 0, rd, imm);
            case 2 -> iType(OP_IMM, rd, 0, 0, imm);
            case 3 -> rd == SP ? addi16sp(c) : lui(c, rd);
            case 4 -> arithmetic(c);
            case 5 -> jType(JAL, 0, jumpOffset(c));
            case 6 -> bType(0, prime(c, 7), 0, branchOffset(c));
            default -> bType(1, prime(c, 7), 0, branchOffset(c));
        };
    }

    private static int addi16sp(int c) {
        int imm = (bits(c, 12, 12) << 9 | bits(c, 6, 6) << 4 | bits(c, 5, 5) << 6 | bits(c, 4, 3) << 7
                | bits(c, 2, 2) << 5) << 22 >> 22;
        return imm == 0 ? 0 : iType(OP_IMM, SP, 0, SP, imm);
    }

    private static int lui(int c, int rd) {
        int imm = signed6(c) << 12;
        return imm == 0 ? 0 : LUI | rd << 7 | imm & 0xFFFF_F000;
    }

    private static int arithmetic(int c) {
        int rd = prime(c, 7);
        int rs2 = prime(c, 2);
        int shamt = bits(c, 12, 12) << 5 | bits(c, 6, 2);
        return switch (bits(c, 11, 10)) {
            case 0 -> iType(OP_IMM, rd, 5, rd, shamt);
            case 1 -> iType(OP_IMM, rd, 5, rd, 0x400 | shamt);
            case 2 -> iType(OP_IMM, rd, 7, rd, signed6(c));
            default -> {
                boolean word = bits(c, 12, 12) == 1;
                yield switch (bits(c, 6, 5)) {
                    case 0 -> rType(word ? OP_32 : OP, rd, 0, rd, rs2, 0x20);
                    case 1 -> word ? rType(OP_32, rd, 0, rd, rs2, 0) : rType(OP, rd, 4, rd, rs2, 0);
                    case 2 -> word ? 0 : rType(OP, rd, 6, rd, rs2, 0);
                    default -> word ? 0 : rType(OP, rd, 7, rd, rs2, 0);
                };
            }
        };
    }

    private static int jumpOffset(int c) {
        return (bits(c, 12, 12) << 11 | bits(c, 11, 11) << 4 | bits(c, 10, 9) << 8 | bits(c, 8, 8) << 10
                | bits(c, 7, 7) << 6 | bits(c, 6, 6) << 7 | bits(c, 5, 3) << 1 | bits(c, 2, 2) << 5) << 20 >> 20;
    }

    private static int branchOffset(int c) {
        return (bits(c, 12, 12) << 8 | bits(c, 11, 10) << 3 | bits(c, 6, 5) << 6 | bits(c, 4, 3) << 1
                | bits(c, 2, 2) << 5) << 23 >> 23;
    }

    private static int quadrant2(int c) {
        int rd = bits(c, 11, 7);
        int rs2 = bits(c, 6, 2);
        int doubleOffset = bits(c, 12, 12) << 5 | bits(c, 6, 5) << 3 | bits(c, 4, 2) << 6;
        int doubleStoreOffset = bits(c, 12, 10) << 3 | bits(c, 9, 7) << 6;
        return switch (bits(c, 15, 13)) {
            case 0 -> iType(OP_IMM, rd, 1, rd, bits(c, 12, 12) << 5 | rs2);
            case 1 -> iType(LOAD_FP, rd, 3, SP, doubleOffset);
            case 2 -> rd == 0 ? 0 : iType(LOAD, rd, 2, SP, bits(c, 12, 12) << 5 | bits(c, 6, 4) << 2 | bits(c, 3, 2) << 6);
            case 3 -> rd == 0 ? 0 : iType(LOAD, rd, 3, SP, doubleOffset);
            case 4 -> registerForms(c, rd, rs2);
            case 5 -> sType(STORE_FP, 3, SP, rs2, doubleStoreOffset);
            case 6 -> sType(STORE, 2, SP, rs2, bits(c, 12, 9) << 2 | bits(c, 8, 7) << 6);
            default -> sType(STORE, 3, SP, rs2, doubleStoreOffset);
        };
    }

    private static int registerForms(int c, int rd, int rs2) {
        if (bits(c, 12, 12) == 0) {
            if (rs2 == 0) {
                return rd == 0 ? 0 : iType(JALR, 0, 0, rd, 0);
            }
            return rType(OP, rd, 0, 0, rs2, 0);
        }
        if (rs2 == 0) {
            return rd == 0 ? 0x0010_0073 : iType(JALR, 1, 0, rd, 0);
        }
        return rType(OP, rd, 0, rd, rs2, 0);
    }

    private static int iType(int opcode, int rd, int funct3, int rs1, int imm) {
        return imm << 20 | rs1 << 15 | funct3 << 12 | rd << 7 | opcode;
    }

    private static int sType(int opcode, int funct3, int rs1, int rs2, int imm) {
        return (imm >> 5) << 25 | rs2 << 20 | rs1 << 15 | funct3 << 12 | (imm & 0x1F) << 7 | opcode;
    }

    private static int rType(int opcode, int rd, int funct3, int rs1, int rs2, int funct7) {
        return funct7 << 25 | rs2 << 20 | rs1 << 15 | funct3 << 12 | rd << 7 | opcode;
    }

    private static int bType(int funct3, int rs1, int rs2, int imm) {
        return ((imm >> 12) & 1) << 31 | ((imm >> 5) & 0x3F) << 25 | rs2 << 20 | rs1 << 15 | funct3 << 12
                | ((imm >> 1) & 0xF) << 8 | ((imm >> 11) & 1) << 7 | BRANCH;
    }

    private static int jType(int opcode, int rd, int imm) {
        return ((imm >> 20) & 1) << 31 | ((imm >> 1) & 0x3FF) << 21 | ((imm >> 11) & 1) << 20
                | ((imm >> 12) & 0xFF) << 12 | rd << 7 | opcode;
    }
}
