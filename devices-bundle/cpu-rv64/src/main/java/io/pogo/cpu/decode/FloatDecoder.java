package io.pogo.cpu.decode;

import static io.pogo.cpu.decode.Decoded.pack;

/**
 * Decodes the F and D extensions. The immediate of an arithmetic op holds its format (0 = single, 1 = double);
 * rounding modes 5 and 6 are reserved and rejected here, the dynamic mode 7 is resolved at execution.
 */
public final class FloatDecoder {
    public static final int SINGLE = 0;
    static final int DOUBLE = 1;
    private static final int DYNAMIC = 7;

    private FloatDecoder() {
    }

    static long decode(int raw) {
        int rd = (raw >>> 7) & 31;
        int rs1 = (raw >>> 15) & 31;
        int rs2 = (raw >>> 20) & 31;
        int rm = (raw >>> 12) & 7;
        int format = (raw >>> 25) & 3;
        return switch ((raw >>> 2) & 31) {
            case 0x01 -> rm == 2 || rm == 3 ? pack(rm == 2 ? Op.FLW : Op.FLD, rd, rs1, 0, 0, 0, Decoder.iImmediate(raw))
                    : Decoder.ILLEGAL;
            case 0x09 -> rm == 2 || rm == 3 ? pack(rm == 2 ? Op.FSW : Op.FSD, 0, rs1, rs2, 0, 0, Decoder.sImmediate(raw))
                    : Decoder.ILLEGAL;
            case 0x10, 0x11, 0x12, 0x13 -> {
                int op = Op.FMADD + ((raw >>> 2) & 3);
                yield format > DOUBLE || !validRounding(rm) ? Decoder.ILLEGAL
                        : pack(op, rd, rs1, rs2, raw >>> 27, rm, format);
            }
            case 0x14 -> operation(raw >>> 25, rd, rs1, rs2, rm);
            default -> Decoder.ILLEGAL;
        };
    }

    private static boolean validRounding(int rm) {
        return rm <= 4 || rm == DYNAMIC;
    }

    private static long operation(int funct7, int rd, int rs1, int rs2, int rm) {
        int format = funct7 & 3;
        if (format > DOUBLE) {
            return Decoder.ILLEGAL;
        }
        int intRd = rd == 0 ? Decoded.DISCARD : rd;
        return switch (funct7 >>> 2) {
            case 0x00 -> rounded(Op.FADD, rd, rs1, rs2, rm, format);
            case 0x01 -> rounded(Op.FSUB, rd, rs1, rs2, rm, format);
            case 0x02 -> rounded(Op.FMUL, rd, rs1, rs2, rm, format);
            case 0x03 -> rounded(Op.FDIV, rd, rs1, rs2, rm, format);
            case 0x0B -> rs2 == 0 ? rounded(Op.FSQRT, rd, rs1, 0, rm, format) : Decoder.ILLEGAL;
            case 0x04 -> rm <= 2 ? pack(Op.FSGNJ + rm, rd, rs1, rs2, 0, 0, format) : Decoder.ILLEGAL;
            case 0x05 -> rm <= 1 ? pack(Op.FMIN + rm, rd, rs1, rs2, 0, 0, format) : Decoder.ILLEGAL;
            case 0x08 -> rs2 == 1 - format ? rounded(Op.FCVT_FLOAT, rd, rs1, 0, rm, format) : Decoder.ILLEGAL;
            case 0x14 -> switch (rm) {
                case 0 -> pack(Op.FLE, intRd, rs1, rs2, 0, 0, format);
                case 1 -> pack(Op.FLT, intRd, rs1, rs2, 0, 0, format);
                case 2 -> pack(Op.FEQ, intRd, rs1, rs2, 0, 0, format);
                default -> Decoder.ILLEGAL;
            };
            case 0x18 -> rs2 <= 3 && validRounding(rm) ? pack(Op.FCVT_TO_INT, intRd, rs1, rs2, 0, rm, format)
                    : Decoder.ILLEGAL;
            case 0x1A -> rs2 <= 3 ? rounded(Op.FCVT_FROM_INT, rd, rs1, rs2, rm, format) : Decoder.ILLEGAL;
            case 0x1C -> rs2 != 0 ? Decoder.ILLEGAL : switch (rm) {
                case 0 -> pack(Op.FMV_TO_INT, intRd, rs1, 0, 0, 0, format);
                case 1 -> pack(Op.FCLASS, intRd, rs1, 0, 0, 0, format);
                default -> Decoder.ILLEGAL;
            };
            case 0x1E -> rs2 == 0 && rm == 0 ? pack(Op.FMV_FROM_INT, rd, rs1, 0, 0, 0, format) : Decoder.ILLEGAL;
            default -> Decoder.ILLEGAL;
        };
    }

    private static long rounded(int op, int rd, int rs1, int rs2, int rm, int format) {
        return validRounding(rm) ? pack(op, rd, rs1, rs2, 0, rm, format) : Decoder.ILLEGAL;
    }
}
