package io.pogo.cpu;

/**
 * Integer arithmetic shared by the 64-bit instructions and their 32-bit W forms: a W form narrows its operands
 * with {@link #word} or {@link #unsigned32}, applies the same operation and sign-extends with {@link #word}.
 */
final class Alu {
    private Alu() {
    }

    static long word(long value) {
        return (int) value;
    }

    static long unsigned32(long value) {
        return value & 0xFFFF_FFFFL;
    }

    static long lessThan(long a, long b) {
        return a < b ? 1 : 0;
    }

    static long lessThanUnsigned(long a, long b) {
        return Long.compareUnsigned(a, b) < 0 ? 1 : 0;
    }

    static long multiplyHighSignedUnsigned(long signed, long unsigned) {
        return Math.multiplyHigh(signed, unsigned) + ((unsigned >> 63) & signed);
    }

    /** Division by zero gives all ones; the overflow case MIN / -1 wraps to MIN in Java as RISC-V requires. */
    static long divide(long a, long b) {
        return b == 0 ? -1 : a / b;
    }

    static long divideUnsigned(long a, long b) {
        return b == 0 ? -1 : Long.divideUnsigned(a, b);
    }

    static long remainder(long a, long b) {
        return b == 0 ? a : a % b;
    }

    static long remainderUnsigned(long a, long b) {
        return b == 0 ? a : Long.remainderUnsigned(a, b);
    }
}
