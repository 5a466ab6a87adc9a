package io.pogo.cpu.interpreter;

/**
 * The semantics of the bit-manipulation extensions Zba, Zbb, Zbc and Zbs, shared by the interpreter and the
 * compiled blocks. Every method takes rs1's value first and rs2's value (or the immediate) second; W forms work on
 * the low 32 bits and sign-extend their result, .UW forms zero-extend rs1's low 32 bits first.
 */
public final class BitManip {
    private static final long LOW_SEVEN_BITS = 0x7F7F_7F7F_7F7F_7F7FL;
    private static final long HIGH_BITS = 0x8080_8080_8080_8080L;

    private BitManip() {
    }

    public static long addUnsignedWord(long a, long b) {
        return Alu.unsigned32(a) + b;
    }

    public static long shift1Add(long a, long b) {
        return (a << 1) + b;
    }

    public static long shift2Add(long a, long b) {
        return (a << 2) + b;
    }

    public static long shift3Add(long a, long b) {
        return (a << 3) + b;
    }

    public static long shift1AddUnsignedWord(long a, long b) {
        return (Alu.unsigned32(a) << 1) + b;
    }

    public static long shift2AddUnsignedWord(long a, long b) {
        return (Alu.unsigned32(a) << 2) + b;
    }

    public static long shift3AddUnsignedWord(long a, long b) {
        return (Alu.unsigned32(a) << 3) + b;
    }

    public static long shiftLeftUnsignedWord(long a, long shift) {
        return Alu.unsigned32(a) << shift;
    }

    public static long andNot(long a, long b) {
        return a & ~b;
    }

    public static long orNot(long a, long b) {
        return a | ~b;
    }

    public static long exclusiveNor(long a, long b) {
        return ~(a ^ b);
    }

    public static long countLeadingZeros(long a) {
        return Long.numberOfLeadingZeros(a);
    }

    public static long countLeadingZerosWord(long a) {
        return Integer.numberOfLeadingZeros((int) a);
    }

    public static long countTrailingZeros(long a) {
        return Long.numberOfTrailingZeros(a);
    }

    public static long countTrailingZerosWord(long a) {
        return Integer.numberOfTrailingZeros((int) a);
    }

    public static long populationCount(long a) {
        return Long.bitCount(a);
    }

    public static long populationCountWord(long a) {
        return Integer.bitCount((int) a);
    }

    public static long max(long a, long b) {
        return Math.max(a, b);
    }

    public static long maxUnsigned(long a, long b) {
        return Long.compareUnsigned(a, b) >= 0 ? a : b;
    }

    public static long min(long a, long b) {
        return Math.min(a, b);
    }

    public static long minUnsigned(long a, long b) {
        return Long.compareUnsigned(a, b) <= 0 ? a : b;
    }

    public static long signExtendByte(long a) {
        return (byte) a;
    }

    public static long signExtendHalf(long a) {
        return (short) a;
    }

    public static long zeroExtendHalf(long a) {
        return a & 0xFFFF;
    }

    /** Rotations use the low 6 bits of the amount (5 for the W forms), as Java's do. */
    public static long rotateLeft(long a, long amount) {
        return Long.rotateLeft(a, (int) amount);
    }

    public static long rotateRight(long a, long amount) {
        return Long.rotateRight(a, (int) amount);
    }

    public static long rotateLeftWord(long a, long amount) {
        return Integer.rotateLeft((int) a, (int) amount);
    }

    public static long rotateRightWord(long a, long amount) {
        return Integer.rotateRight((int) a, (int) amount);
    }

    /**
     * ORC.B: every non-zero byte becomes 0xFF, every zero byte stays 0. Adding 0x7F to a byte's low seven bits
     * sets its top bit exactly when those bits are not all zero, and never carries into the next byte.
     */
    public static long orCombineBytes(long a) {
        long nonZero = (((a & LOW_SEVEN_BITS) + LOW_SEVEN_BITS) | a) & HIGH_BITS;
        return (nonZero >>> 7) * 0xFF;
    }

    public static long reverseBytes(long a) {
        return Long.reverseBytes(a);
    }

    /** CLMUL: the low 64 bits of the carry-less product. */
    public static long carrylessMultiply(long a, long b) {
        long product = 0;
        for (long bits = b; bits != 0; bits &= bits - 1) {
            product ^= a << Long.numberOfTrailingZeros(bits);
        }
        return product;
    }

    /** CLMULH: the high 64 bits of the 128-bit carry-less product (bit 0 of b contributes nothing to them). */
    public static long carrylessMultiplyHigh(long a, long b) {
        long product = 0;
        for (long bits = b; bits != 0; bits &= bits - 1) {
            product ^= (a >>> 1) >>> (63 - Long.numberOfTrailingZeros(bits));
        }
        return product;
    }

    /** CLMULR: bits 126..63 of the carry-less product. */
    public static long carrylessMultiplyReversed(long a, long b) {
        long product = 0;
        for (long bits = b; bits != 0; bits &= bits - 1) {
            product ^= a >>> (63 - Long.numberOfTrailingZeros(bits));
        }
        return product;
    }

    /** The single-bit operations use the low 6 bits of the index, as Java's shifts do. */
    public static long bitClear(long a, long index) {
        return a & ~(1L << index);
    }

    public static long bitExtract(long a, long index) {
        return (a >>> index) & 1;
    }

    public static long bitInvert(long a, long index) {
        return a ^ (1L << index);
    }

    public static long bitSet(long a, long index) {
        return a | (1L << index);
    }
}
