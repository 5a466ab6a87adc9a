package io.pogo.cpu.fpu;

/**
 * Error-free transformations on doubles (Knuth's TwoSum, Shewchuk's expansions): they give the exact error of a
 * rounded sum, and the exact sign of a sum of several doubles, without leaving double arithmetic. Valid as long
 * as nothing overflows.
 */
final class ExactSum {
    private ExactSum() {
    }

    /** The exact {@code a + b - sum}, where {@code sum} is the rounded {@code a + b}. */
    static double error(double a, double b, double sum) {
        double virtualB = sum - a;
        double virtualA = sum - virtualB;
        return (a - virtualA) + (b - virtualB);
    }

    /**
     * The sign of the exact sum of {@code terms}. Grows a nonoverlapping expansion term by term; its largest
     * nonzero component carries the sign of the whole.
     */
    static int signum(double... terms) {
        double[] expansion = new double[terms.length];
        int size = 0;
        for (double term : terms) {
            double carry = term;
            for (int i = 0; i < size; i++) {
                double sum = carry + expansion[i];
                expansion[i] = error(carry, expansion[i], sum);
                carry = sum;
            }
            expansion[size++] = carry;
        }
        for (int i = size - 1; i >= 0; i--) {
            if (expansion[i] != 0) {
                return expansion[i] > 0 ? 1 : -1;
            }
        }
        return 0;
    }
}
