package io.pogo.cpu;

/** Encodings of the RV64I (and a few RV64A) instructions tests write as guest code. */
final class Encodings {
    private Encodings() {
    }

    /** A load of {@code 1 << width} bytes (LB, LH, LW, LD; 4 to 6 for their unsigned forms). */
    static int load(int width, int rd, int rs1, int offset) {
        return offset << 20 | rs1 << 15 | width << 12 | rd << 7 | 0x03;
    }

    static int store(int width, int rs2, int rs1, int offset) {
        return (offset >> 5) << 25 | rs2 << 20 | rs1 << 15 | width << 12 | (offset & 0x1F) << 7 | 0x23;
    }

    /** AMOSWAP of {@code 1 << width} bytes (2 for AMOSWAP.W, 3 for AMOSWAP.D), neither acquire nor release. */
    static int amoswap(int width, int rd, int rs2, int rs1) {
        return 1 << 27 | rs2 << 20 | rs1 << 15 | width << 12 | rd << 7 | 0x2F;
    }

    static int addi(int rd, int rs1, int immediate) {
        return immediate << 20 | rs1 << 15 | rd << 7 | 0x13;
    }

    static int add(int rd, int rs1, int rs2) {
        return rs2 << 20 | rs1 << 15 | rd << 7 | 0x33;
    }

    static int xor(int rd, int rs1, int rs2) {
        return add(rd, rs1, rs2) | 4 << 12;
    }

    static int bne(int rs1, int rs2, int offset) {
        return ((offset >> 12) & 1) << 31 | ((offset >> 5) & 0x3F) << 25 | rs2 << 20 | rs1 << 15 | 1 << 12
                | ((offset >> 1) & 0xF) << 8 | ((offset >> 11) & 1) << 7 | 0x63;
    }

    static int beq(int rs1, int rs2, int offset) {
        return bne(rs1, rs2, offset) & ~(1 << 12);
    }

    static int jal(int rd, int offset) {
        return ((offset >> 20) & 1) << 31 | ((offset >> 1) & 0x3FF) << 21 | ((offset >> 11) & 1) << 20
                | ((offset >> 12) & 0xFF) << 12 | rd << 7 | 0x6F;
    }

    static int jalr(int rd, int rs1) {
        return rs1 << 15 | rd << 7 | 0x67;
    }
}
