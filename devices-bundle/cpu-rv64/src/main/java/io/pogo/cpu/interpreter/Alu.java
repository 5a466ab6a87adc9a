package io.pogo.cpu.interpreter;

/**
 * Integer arithmetic shared by the 64-bit instructions and their 32-bit W forms: a W form narrows its operands
 * with {@link #word} or {@link #unsigned32}, applies the same operation and sign-extends with {@link #word}.
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

    public static long lessThan(long a, long b) {
        return a < b ? 1 : 0;
    }

    public static long lessThanUnsigned(long a, long b) {
        return Long.compareUnsigned(a, b) < 0 ? 1 : 0;
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
