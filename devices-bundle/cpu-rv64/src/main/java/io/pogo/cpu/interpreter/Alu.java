package io.pogo.cpu.interpreter;

/**
 * Integer arithmetic shared by the 64-bit instructions and their 32-bit W forms: a W form narrows its operands
 * with {@link #word} or {@link #unsigned32}, applies the same operation and sign-extends with {@link #word}.
 *
 * <p>The comparisons compute their 0 or 1 without a branch. The JVM's C2 compiles a branch its profile never saw
 * go one way into a trap that throws the compiled method away when the guest first goes that way: a guest's
 * comparisons go one way for millions of instructions and then the other, and each such trap cost the
 * interpreter's method a C2 compile of up to a second again (and every compiled region inlining the comparison
 * its own).
 */
public final class Alu {
    private Alu() {
    }

    public static long word(long value) {
        return (int) value;
    }

    public static long unsigned32(long value) {
        return value & 0xFFFF_FFFFL;
    }

    /** 1 if {@code a == b}, else 0: {@code (d - 1) & ~d} has its sign bit set only for {@code d == 0}. */
    public static long equal(long a, long b) {
        long difference = a ^ b;
        return ((difference - 1) & ~difference) >>> 63;
    }

    /** 1 if {@code a < b} signed, else 0: the sign of {@code a - b}, corrected where the subtraction overflows. */
    public static long lessThan(long a, long b) {
        long difference = a - b;
        return (difference ^ ((a ^ b) & (difference ^ a))) >>> 63;
    }

    /** 1 if {@code a < b} unsigned, else 0: the borrow out of {@code a - b}. */
    public static long lessThanUnsigned(long a, long b) {
        return ((~a & b) | ((~a | b) & (a - b))) >>> 63;
    }

    public static long multiplyHighSignedUnsigned(long signed, long unsigned) {
        return Math.multiplyHigh(signed, unsigned) + ((unsigned >> 63) & signed);
    }

    /** Division by zero gives all ones; the overflow case MIN / -1 wraps to MIN in Java as RISC-V requires. */
    public static long divide(long a, long b) {
        return b == 0 ? -1 : a / b;
    }

    public static long divideUnsigned(long a, long b) {
        return b == 0 ? -1 : Long.divideUnsigned(a, b);
    }

    public static long remainder(long a, long b) {
        return b == 0 ? a : a % b;
    }

    public static long remainderUnsigned(long a, long b) {
        return b == 0 ? a : Long.remainderUnsigned(a, b);
    }
}
