package io.pogo.cpu.fpu;

/**
 * IEEE 754 rounding to single or double precision in the five RISC-V modes, from a round-to-nearest-even result
 * and the sign of the exact value's distance to it (the residual), which the callers obtain exactly from
 * error-free transformations or BigDecimal. Also derives the NX, OF and UF flags.
 */
final class Rounding {
    static final int RNE = 0;
    static final int RTZ = 1;
    static final int RDN = 2;
    static final int RUP = 3;
    static final int RMM = 4;

    static final int NX = 1;
    static final int UF = 2;
    static final int OF = 4;
    static final int DZ = 8;
    static final int NV = 16;

    private Rounding() {
    }

    /**
     * @param nearest  the exact value rounded to nearest-even in the target precision
     * @param residual the sign of (exact - nearest)
     * @param tie      whether the exact value lay exactly halfway between two representable values
     * @param single   whether the target is single precision
     * @return the result in the target precision, as a double
     */
    static double round(double nearest, int residual, boolean tie, int rm, boolean single) {
        if (residual == 0) {
            return nearest;
        }
        return switch (rm) {
            case RTZ -> nearest > 0 && residual < 0 || nearest < 0 && residual > 0 ? towardZero(nearest, single) : nearest;
            case RDN -> residual < 0 ? down(nearest, single) : nearest;
            case RUP -> residual > 0 ? up(nearest, single) : nearest;
            case RMM -> tie && (nearest > 0) == (residual > 0) ? awayFromZero(nearest, single) : nearest;
            default -> nearest;
        };
    }

    /** Overflowed results: infinity, or the largest finite value where the mode rounds toward it. */
    static double overflow(boolean negative, int rm, boolean single) {
        double largest = single ? Float.MAX_VALUE : Double.MAX_VALUE;
        boolean toInfinity = switch (rm) {
            case RTZ -> false;
            case RDN -> negative;
            case RUP -> !negative;
            default -> true;
        };
        double magnitude = toInfinity ? Double.POSITIVE_INFINITY : largest;
        return negative ? -magnitude : magnitude;
    }

    /** NX, OF and UF for a finite-operand result that was inexact ({@code residual != 0}) or overflowed. */
    static int flags(double result, int residual, boolean overflowed, boolean single) {
        if (overflowed) {
            return OF | NX;
        }
        if (residual == 0) {
            return 0;
        }
        double smallestNormal = single ? Float.MIN_NORMAL : Double.MIN_NORMAL;
        return Math.abs(result) < smallestNormal ? UF | NX : NX;
    }

    private static double towardZero(double value, boolean single) {
        return value > 0 ? down(value, single) : up(value, single);
    }

    private static double awayFromZero(double value, boolean single) {
        return value > 0 ? up(value, single) : down(value, single);
    }

    private static double up(double value, boolean single) {
        return single ? Math.nextUp((float) value) : Math.nextUp(value);
    }

    private static double down(double value, boolean single) {
        return single ? Math.nextDown((float) value) : Math.nextDown(value);
    }
}
