package io.pogo.cpu.decode;

/** The read-modify-write functions of the A extension, numbered by their funct5 encoding. */
public final class Amo {
    static final int ADD = 0b00000;
    public static final int SWAP = 0b00001;
    static final int LR = 0b00010;
    static final int SC = 0b00011;
    static final int XOR = 0b00100;
    static final int OR = 0b01000;
    static final int AND = 0b01100;
    static final int MIN = 0b10000;
    static final int MAX = 0b10100;
    static final int MINU = 0b11000;
    static final int MAXU = 0b11100;

    private Amo() {
    }

    static boolean isFunction(int function) {
        return switch (function) {
            case ADD, SWAP, XOR, OR, AND, MIN, MAX, MINU, MAXU -> true;
            default -> false;
        };
    }

    /** The value stored back; operands are already sign-extended to 64 bits for word-sized AMOs. */
    public static long apply(int function, long memory, long operand) {
        return switch (function) {
            case ADD -> memory + operand;
            case SWAP -> operand;
            case XOR -> memory ^ operand;
            case OR -> memory | operand;
            case AND -> memory & operand;
            case MIN -> Math.min(memory, operand);
            case MAX -> Math.max(memory, operand);
            case MINU -> Long.compareUnsigned(memory, operand) <= 0 ? memory : operand;
            case MAXU -> Long.compareUnsigned(memory, operand) >= 0 ? memory : operand;
            default -> throw new IllegalArgumentException("not an AMO function: " + function);
        };
    }
}
