package io.pogo.cpu.decode;

/**
 * A decoded instruction packed into one long, so a block is a flat {@code long[]} the executor walks without
 * chasing pointers. Layout: op [0,8) · rd [8,14) · rs1 [14,19) · rs2 [19,24) · rs3 [24,29) · rm [29,32) ·
 * imm [32,64). An integer destination of x0 is stored as {@link #DISCARD} so writes to it need no test.
 */
public final class Decoded {
    /** The scratch register index that absorbs writes to x0. */
    public static final int DISCARD = 32;

    private Decoded() {
    }

    static long pack(int op, int rd, int rs1, int rs2, int rs3, int rm, int imm) {
        return op | (long) rd << 8 | (long) rs1 << 14 | (long) rs2 << 19 | (long) rs3 << 24 | (long) rm << 29
                | (long) imm << 32;
    }

    /** Packs an instruction whose destination is an integer register. */
    static long packIntDest(int op, int rd, int rs1, int rs2, int imm) {
        return pack(op, rd == 0 ? DISCARD : rd, rs1, rs2, 0, 0, imm);
    }

    public static int op(long w) {
        return (int) w & 0xFF;
    }

    public static int rd(long w) {
        return (int) (w >>> 8) & 0x3F;
    }

    public static int rs1(long w) {
        return (int) (w >>> 14) & 0x1F;
    }

    public static int rs2(long w) {
        return (int) (w >>> 19) & 0x1F;
    }

    public static int rs3(long w) {
        return (int) (w >>> 24) & 0x1F;
    }

    public static int rm(long w) {
        return (int) (w >>> 29) & 0x7;
    }

    public static int imm(long w) {
        return (int) (w >>> 32);
    }

    public static long withImm(long w, int imm) {
        return (w & 0xFFFF_FFFFL) | (long) imm << 32;
    }
}
