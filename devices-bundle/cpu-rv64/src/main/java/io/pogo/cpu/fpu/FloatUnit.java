package io.pogo.cpu.fpu;

import io.pogo.api.cpu.CsrAddress;
import io.pogo.api.cpu.ExceptionCause;
import io.pogo.cpu.HartState;
import io.pogo.cpu.decode.Decoded;
import io.pogo.cpu.decode.FloatDecoder;
import io.pogo.cpu.decode.Op;
import io.pogo.cpu.mmu.Mmu;
import io.pogo.cpu.trap.Csr;
import io.pogo.cpu.trap.GuestException;

import java.math.BigDecimal;

import static io.pogo.cpu.decode.Decoded.imm;
import static io.pogo.cpu.decode.Decoded.rd;
import static io.pogo.cpu.decode.Decoded.rm;
import static io.pogo.cpu.decode.Decoded.rs1;
import static io.pogo.cpu.decode.Decoded.rs2;
import static io.pogo.cpu.decode.Decoded.rs3;
import static io.pogo.cpu.fpu.Rounding.DZ;
import static io.pogo.cpu.fpu.Rounding.NV;
import static io.pogo.cpu.fpu.Rounding.NX;

/**
 * The F and D extensions. Single-precision values live NaN-boxed in the 64-bit registers; an improperly boxed
 * operand reads as the canonical NaN. Arithmetic is computed with Java's round-to-nearest-even operations, whose
 * exact error (from error-free transformations; BigDecimal only for results near the subnormal range, for
 * double-precision fused multiply-adds near the exponent limits, and for integers too wide to convert exactly)
 * drives the directed rounding modes and the NX/UF/OF flags. NaN results are always the canonical NaN, and
 * FMIN/FMAX follow the 2.2 rules (a single NaN operand yields the other operand).
 */
public final class FloatUnit {
    private static final long BOX = 0xFFFF_FFFF_0000_0000L;
    private static final long CANONICAL_SINGLE = BOX | 0x7FC0_0000L;
    private static final long CANONICAL_DOUBLE = 0x7FF8_0000_0000_0000L;
    private static final double TWO_63 = 0x1p63;
    private static final double TWO_64 = 0x1p64;
    private static final int DYNAMIC = 7;

    private final HartState hart;
    private final Mmu mmu;
    private final GuestException exception;

    public FloatUnit(HartState hart, Mmu mmu, GuestException exception) {
        this.hart = hart;
        this.mmu = mmu;
        this.exception = exception;
    }

    static long box(long singleBits) {
        return BOX | singleBits & 0xFFFF_FFFFL;
    }

    public void execute(long w, int raw) {
        long[] csr = hart.csr;
        if ((csr[CsrAddress.MSTATUS] & Csr.FS) == 0) {
            throw exception.raise(ExceptionCause.ILLEGAL_INSTRUCTION, raw & 0xFFFF_FFFFL);
        }
        int op = Decoded.op(w);
        boolean single = imm(w) == FloatDecoder.SINGLE;
        long[] f = hart.f;
        long[] x = hart.x;
        switch (op) {
            case Op.FLW -> f[rd(w)] = box(mmu.load(x[rs1(w)] + imm(w), 2));
            case Op.FLD -> f[rd(w)] = mmu.load(x[rs1(w)] + imm(w), 3);
            case Op.FSW -> mmu.store(x[rs1(w)] + imm(w), 2, f[rs2(w)]);
            case Op.FSD -> mmu.store(x[rs1(w)] + imm(w), 3, f[rs2(w)]);
            case Op.FSGNJ, Op.FSGNJN, Op.FSGNJX -> f[rd(w)] = signInjection(op, f[rs1(w)], f[rs2(w)], single);
            case Op.FMIN, Op.FMAX -> f[rd(w)] = minMax(op == Op.FMAX, rs1(w), rs2(w), single);
            case Op.FEQ, Op.FLT, Op.FLE -> x[rd(w)] = compare(op, rs1(w), rs2(w), single);
            case Op.FCLASS -> x[rd(w)] = classify(f[rs1(w)], single);
            case Op.FMV_TO_INT -> x[rd(w)] = single ? (int) f[rs1(w)] : f[rs1(w)];
            case Op.FMV_FROM_INT -> f[rd(w)] = single ? box(x[rs1(w)]) : x[rs1(w)];
            case Op.FCVT_TO_INT -> x[rd(w)] = toInteger(rs1(w), rs2(w), roundingMode(w, raw), single);
            case Op.FCVT_FROM_INT -> f[rd(w)] = fromInteger(x[rs1(w)], rs2(w), roundingMode(w, raw), single);
            case Op.FCVT_FLOAT -> f[rd(w)] = convertPrecision(rs1(w), roundingMode(w, raw), single);
            case Op.FMADD, Op.FMSUB, Op.FNMSUB, Op.FNMADD -> f[rd(w)] = fusedMultiplyAdd(op, w, roundingMode(w, raw), single);
            default -> f[rd(w)] = arithmetic(op, rs1(w), rs2(w), roundingMode(w, raw), single);
        }
        if (op != Op.FSW && op != Op.FSD) {
            csr[CsrAddress.MSTATUS] |= Csr.FS | Csr.SD;
        }
    }

    private int roundingMode(long w, int raw) {
        int rm = rm(w);
        if (rm == DYNAMIC) {
            rm = (int) (hart.csr[CsrAddress.FCSR] >>> 5) & 7;
            if (rm > Rounding.RMM) {
                throw exception.raise(ExceptionCause.ILLEGAL_INSTRUCTION, raw & 0xFFFF_FFFFL);
            }
        }
        return rm;
    }

    private void accrue(int flags) {
        hart.csr[CsrAddress.FCSR] |= flags;
    }

    private double value(int register, boolean single) {
        long bits = hart.f[register];
        if (single) {
            return (bits & BOX) == BOX ? Float.intBitsToFloat((int) bits) : Double.NaN;
        }
        return Double.longBitsToDouble(bits);
    }

    private boolean signaling(int register, boolean single) {
        long bits = hart.f[register];
        if (single) {
            int value = (int) bits;
            return (bits & BOX) == BOX && (value & 0x7F80_0000) == 0x7F80_0000 && (value & 0x7F_FFFF) != 0
                    && (value & 0x40_0000) == 0;
        }
        return Double.isNaN(Double.longBitsToDouble(bits)) && (bits & 0x8_0000_0000_0000L) == 0;
    }

    private static long bits(double value, boolean single) {
        if (Double.isNaN(value)) {
            return single ? CANONICAL_SINGLE : CANONICAL_DOUBLE;
        }
        return single ? box(Float.floatToRawIntBits((float) value)) : Double.doubleToRawLongBits(value);
    }

    private static int sign(double value) {
        return value > 0 ? 1 : value < 0 ? -1 : 0;
    }

    private long arithmetic(int op, int rs1, int rs2, int rm, boolean single) {
        double a = value(rs1, single);
        double b = op == Op.FSQRT ? 0 : value(rs2, single);
        boolean signalingInput = signaling(rs1, single) || op != Op.FSQRT && signaling(rs2, single);
        double nearest;
        double error;
        switch (op) {
            case Op.FADD, Op.FSUB -> {
                double addend = op == Op.FSUB ? -b : b;
                nearest = a + addend;
                error = ExactSum.error(a, addend, nearest);
                if (nearest == 0 && error == 0 && rm == Rounding.RDN
                        && !(Double.doubleToRawLongBits(a) == 0 && Double.doubleToRawLongBits(addend) == 0)) {
                    nearest = -0.0;
                }
            }
            case Op.FMUL -> {
                nearest = a * b;
                error = Math.fma(a, b, -nearest);
            }
            case Op.FDIV -> {
                nearest = a / b;
                error = Math.fma(-nearest, b, a) * (b < 0 ? -1 : 1);
                if (b == 0 && !Double.isNaN(a) && a != 0 && !Double.isInfinite(a)) {
                    accrue(DZ);
                    return bits(nearest, single);
                }
            }
            default -> {
                nearest = Math.sqrt(a);
                error = Math.fma(-nearest, nearest, a);
            }
        }
        int residual = sign(error);
        boolean finite = Double.isFinite(a) && Double.isFinite(b) && Double.isFinite(nearest);
        if (finite && Math.abs(nearest) < Double.MIN_NORMAL && op != Op.FADD && op != Op.FSUB) {
            residual = subnormalResidual(op, a, b, nearest);
        }
        boolean tie = (op == Op.FADD || op == Op.FSUB || op == Op.FMUL) && isTie(nearest, error);
        if (Double.isNaN(nearest)) {
            boolean nanInput = Double.isNaN(a) || Double.isNaN(b);
            accrue(signalingInput || !nanInput ? NV : 0);
            return bits(nearest, single);
        }
        boolean exactInfinite = Double.isInfinite(a) || Double.isInfinite(b) && op != Op.FDIV;
        return finish(nearest, residual, tie, rm, single, exactInfinite);
    }

    /**
     * Rounds a non-NaN result computed in double precision to the target format and mode and raises its flags.
     *
     * @param residual sign of (exact - nearest) for the double-precision result
     * @param tie      whether the exact value lies halfway between nearest and its neighbour in double precision
     */
    private long finish(double nearest, int residual, boolean tie, int rm, boolean single, boolean exactInfinite) {
        if (exactInfinite) {
            return bits(nearest, single);
        }
        double target = nearest;
        int targetResidual = residual;
        if (single && !Double.isInfinite(nearest)) {
            float rounded = (float) nearest;
            target = rounded;
            tie = false;
            if (target != nearest) {
                targetResidual = sign(nearest - target);
                double neighbour = targetResidual > 0 ? Math.nextUp(rounded) : Math.nextDown(rounded);
                boolean midpoint = 2 * Math.abs(nearest - target) == Math.abs(neighbour - target);
                tie = midpoint && residual == 0;
                if (midpoint && residual == targetResidual) {
                    // The double result sits on a midpoint the exact value lies beyond: round from the far side.
                    target = neighbour;
                    targetResidual = -targetResidual;
                }
            }
        }
        if (Double.isInfinite(target)) {
            accrue(Rounding.OF | NX);
            return bits(Rounding.overflow(target < 0, rm, single), single);
        }
        double result = Rounding.round(target, targetResidual, tie, rm, single);
        boolean overflowed = Double.isInfinite(result);
        accrue(Rounding.flags(result, targetResidual, overflowed, single));
        return bits(result, single);
    }

    /** Whether an exact error term puts the exact value halfway to the next double (add and multiply only). */
    private static boolean isTie(double nearest, double error) {
        if (error == 0 || !Double.isFinite(nearest)) {
            return false;
        }
        double neighbour = error > 0 ? Math.nextUp(nearest) : Math.nextDown(nearest);
        return 2 * Math.abs(error) == Math.abs(neighbour - nearest);
    }

    /** Below the normal range the error-free transformations lose bits, so the residual is computed exactly. */
    private static int subnormalResidual(int op, double a, double b, double nearest) {
        BigDecimal result = new BigDecimal(nearest);
        return switch (op) {
            case Op.FMUL -> new BigDecimal(a).multiply(new BigDecimal(b)).compareTo(result);
            case Op.FDIV -> new BigDecimal(a).subtract(result.multiply(new BigDecimal(b))).signum() * (b < 0 ? -1 : 1);
            default -> new BigDecimal(a).subtract(result.multiply(result)).signum();
        };
    }

    private long fusedMultiplyAdd(int op, long w, int rm, boolean single) {
        double a = value(rs1(w), single);
        double b = value(rs2(w), single);
        double c = value(rs3(w), single);
        if (op == Op.FNMSUB || op == Op.FNMADD) {
            a = -a;
        }
        if (op == Op.FMSUB || op == Op.FNMADD) {
            c = -c;
        }
        boolean signalingInput = signaling(rs1(w), single) || signaling(rs2(w), single) || signaling(rs3(w), single);
        boolean invalidProduct = Double.isInfinite(a) && b == 0 || a == 0 && Double.isInfinite(b);
        if (Double.isNaN(a) || Double.isNaN(b) || Double.isNaN(c) || Double.isInfinite(a) || Double.isInfinite(b)
                || Double.isInfinite(c)) {
            double result = Math.fma(a, b, c);
            boolean nanInput = Double.isNaN(a) || Double.isNaN(b) || Double.isNaN(c);
            accrue(signalingInput || invalidProduct || Double.isNaN(result) && !nanInput ? NV : 0);
            return bits(result, single);
        }
        if (single) {
            return singleFusedMultiplyAdd(a * b, c, rm);
        }
        double product = a * b;
        double nearest = Math.fma(a, b, c);
        if (isWellInRange(product) && isWellInRange(c) && isWellInRange(nearest)) {
            return doubleFusedMultiplyAdd(a, b, c, product, nearest, rm);
        }
        BigDecimal exact = new BigDecimal(a).multiply(new BigDecimal(b)).add(new BigDecimal(c));
        if (exact.signum() == 0) {
            boolean productNegative = (Math.copySign(1, a) * Math.copySign(1, b)) < 0;
            boolean bothNegative = productNegative && Math.copySign(1, c) < 0;
            boolean negativeZero = bothNegative || rm == Rounding.RDN && (productNegative || Math.copySign(1, c) < 0);
            return bits(negativeZero ? -0.0 : 0.0, single);
        }
        return roundExact(exact, rm, single);
    }

    /**
     * The product of two singles is exact in double precision (48 significant bits, exponents well inside the
     * double range), so a single-precision FMA is one double addition with its exact error, rounded to single.
     */
    private long singleFusedMultiplyAdd(double product, double addend, int rm) {
        double nearest = product + addend;
        double error = ExactSum.error(product, addend, nearest);
        if (nearest == 0 && error == 0) {
            boolean productNegative = Math.copySign(1, product) < 0;
            boolean addendNegative = Math.copySign(1, addend) < 0;
            boolean negativeZero = productNegative && addendNegative
                    || rm == Rounding.RDN && (productNegative || addendNegative);
            return bits(negativeZero ? -0.0 : 0.0, true);
        }
        return finish(nearest, sign(error), false, rm, true, false);
    }

    /** Nonzero and far enough from underflow and overflow for the error-free transformations to be exact. */
    private static boolean isWellInRange(double value) {
        double magnitude = Math.abs(value);
        return magnitude >= 0x1p-960 && magnitude <= 0x1p1000;
    }

    /**
     * A double-precision FMA from the correctly rounded {@code nearest = fma(a, b, c)}: the exact residual
     * {@code a*b + c - nearest} is the sum of four doubles (the product's error, and two addition errors), whose
     * sign and distance to the halfway point error-free transformations decide.
     */
    private long doubleFusedMultiplyAdd(double a, double b, double c, double product, double nearest, int rm) {
        double productError = Math.fma(a, b, -product);
        double sum = product + c;
        double sumError = ExactSum.error(product, c, sum);
        double difference = sum - nearest;
        double differenceError = ExactSum.error(sum, -nearest, difference);
        int residual = ExactSum.signum(difference, differenceError, sumError, productError);
        boolean tie = false;
        if (residual != 0) {
            double neighbour = residual > 0 ? Math.nextUp(nearest) : Math.nextDown(nearest);
            double halfway = (neighbour - nearest) / 2;
            tie = ExactSum.signum(difference, differenceError, sumError, productError, -halfway) == 0;
        }
        return finish(nearest, residual, tie, rm, false, false);
    }

    /** Rounds an exact finite value to the target precision and mode, raising NX, UF and OF. */
    private long roundExact(BigDecimal exact, int rm, boolean single) {
        double nearest = single ? exact.floatValue() : exact.doubleValue();
        if (Double.isInfinite(nearest)) {
            accrue(Rounding.OF | NX);
            return bits(Rounding.overflow(exact.signum() < 0, rm, single), single);
        }
        int residual = exact.compareTo(new BigDecimal(nearest));
        boolean tie = false;
        if (residual != 0) {
            double neighbour = single
                    ? (residual > 0 ? Math.nextUp((float) nearest) : Math.nextDown((float) nearest))
                    : (residual > 0 ? Math.nextUp(nearest) : Math.nextDown(nearest));
            if (!Double.isInfinite(neighbour)) {
                BigDecimal midpoint = new BigDecimal(nearest).add(new BigDecimal(neighbour)).divide(BigDecimal.TWO);
                tie = exact.compareTo(midpoint) == 0;
            }
        }
        double result = Rounding.round(nearest, residual, tie, rm, single);
        boolean overflowed = Double.isInfinite(result);
        accrue(Rounding.flags(result, residual, overflowed, single));
        return bits(result, single);
    }

    private long fromInteger(long value, int type, int rm, boolean single) {
        boolean unsigned = (type & 1) != 0;
        long integer = switch (type) {
            case 0 -> (int) value;
            case 1 -> value & 0xFFFF_FFFFL;
            default -> value;
        };
        long exactLimit = single ? 1L << 24 : 1L << 53;
        if ((!unsigned || integer >= 0) && Math.abs(integer) <= exactLimit) {
            return bits((double) integer, single);
        }
        BigDecimal exact = unsigned ? new BigDecimal(Long.toUnsignedString(integer)) : BigDecimal.valueOf(integer);
        return roundExact(exact, rm, single);
    }

    private long toInteger(int register, int type, int rm, boolean single) {
        double value = value(register, single);
        boolean nan = Double.isNaN(value);
        double rounded = nan ? 0 : roundToIntegral(value, rm);
        double low = switch (type) {
            case 0 -> Integer.MIN_VALUE;
            case 2 -> -TWO_63;
            default -> 0;
        };
        double high = switch (type) {
            case 0 -> Integer.MAX_VALUE;
            case 1 -> 0xFFFF_FFFFL;
            case 2 -> TWO_63;
            default -> TWO_64;
        };
        boolean exclusiveHigh = type >= 2;
        boolean tooHigh = nan || (exclusiveHigh ? rounded >= high : rounded > high);
        if (tooHigh || rounded < low) {
            accrue(NV);
            return switch (type) {
                case 0 -> tooHigh ? Integer.MAX_VALUE : Integer.MIN_VALUE;
                case 1 -> tooHigh ? -1 : 0;
                case 2 -> tooHigh ? Long.MAX_VALUE : Long.MIN_VALUE;
                default -> tooHigh ? -1 : 0;
            };
        }
        if (rounded != value) {
            accrue(NX);
        }
        return switch (type) {
            case 0 -> (int) rounded;
            case 1 -> (int) (long) rounded;
            case 2 -> (long) rounded;
            default -> rounded >= TWO_63 ? (long) (rounded - TWO_63) ^ Long.MIN_VALUE : (long) rounded;
        };
    }

    private static double roundToIntegral(double value, int rm) {
        return switch (rm) {
            case Rounding.RTZ -> value < 0 ? Math.ceil(value) : Math.floor(value);
            case Rounding.RDN -> Math.floor(value);
            case Rounding.RUP -> Math.ceil(value);
            case Rounding.RMM -> {
                double truncated = value < 0 ? Math.ceil(value) : Math.floor(value);
                yield Math.abs(value - truncated) == 0.5 ? truncated + Math.signum(value) : Math.rint(value);
            }
            default -> Math.rint(value);
        };
    }

    private long convertPrecision(int register, int rm, boolean toSingle) {
        double value = value(register, !toSingle);
        if (Double.isNaN(value)) {
            accrue(signaling(register, !toSingle) ? NV : 0);
            return bits(value, toSingle);
        }
        if (!toSingle || Double.isInfinite(value)) {
            return bits(value, toSingle);
        }
        return finish(value, 0, false, rm, true, false);
    }

    private long signInjection(int op, long first, long second, boolean single) {
        if (single) {
            long a = (first & BOX) == BOX ? first : CANONICAL_SINGLE;
            long b = (second & BOX) == BOX ? second : CANONICAL_SINGLE;
            return box(injectSign(op, a, b, 1L << 31));
        }
        return injectSign(op, first, second, 1L << 63);
    }

    private static long injectSign(int op, long a, long b, long signBit) {
        long sign = switch (op) {
            case Op.FSGNJ -> b & signBit;
            case Op.FSGNJN -> ~b & signBit;
            default -> (a ^ b) & signBit;
        };
        return a & ~signBit | sign;
    }

    private long minMax(boolean max, int rs1, int rs2, boolean single) {
        double a = value(rs1, single);
        double b = value(rs2, single);
        if (signaling(rs1, single) || signaling(rs2, single)) {
            accrue(NV);
        }
        if (Double.isNaN(a) && Double.isNaN(b)) {
            return bits(Double.NaN, single);
        }
        if (Double.isNaN(a)) {
            return bits(b, single);
        }
        if (Double.isNaN(b)) {
            return bits(a, single);
        }
        return bits(max ? Math.max(a, b) : Math.min(a, b), single);
    }

    private long compare(int op, int rs1, int rs2, boolean single) {
        double a = value(rs1, single);
        double b = value(rs2, single);
        boolean unordered = Double.isNaN(a) || Double.isNaN(b);
        boolean signalingInput = signaling(rs1, single) || signaling(rs2, single);
        if (signalingInput || unordered && op != Op.FEQ) {
            accrue(NV);
        }
        boolean result = switch (op) {
            case Op.FEQ -> a == b;
            case Op.FLT -> a < b;
            default -> a <= b;
        };
        return result ? 1 : 0;
    }

    private static long classify(long bits, boolean single) {
        long value = single ? ((bits & BOX) == BOX ? bits & 0xFFFF_FFFFL : 0x7FC0_0000L) : bits;
        int exponentBits = single ? 8 : 11;
        int fractionBits = single ? 23 : 52;
        boolean negative = (value >>> (exponentBits + fractionBits) & 1) != 0;
        long exponent = value >>> fractionBits & ((1L << exponentBits) - 1);
        long fraction = value & ((1L << fractionBits) - 1);
        long maxExponent = (1L << exponentBits) - 1;
        int bit;
        if (exponent == maxExponent) {
            bit = fraction == 0 ? (negative ? 0 : 7) : (fraction >>> (fractionBits - 1)) != 0 ? 9 : 8;
        } else if (exponent == 0) {
            bit = fraction == 0 ? (negative ? 3 : 4) : (negative ? 2 : 5);
        } else {
            bit = negative ? 1 : 6;
        }
        return 1L << bit;
    }
}
