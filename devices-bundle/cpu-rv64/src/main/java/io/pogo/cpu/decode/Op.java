package io.pogo.cpu.decode;

/**
 * Internal operation codes of decoded instructions. They are plain int constants rather than an enum because the
 * executor switches on them once per instruction, and a dense int switch compiles to a single jump table.
 */
public final class Op {
    public static final int ILLEGAL = 0;
    public static final int NOP = 1;

    public static final int LUI = 2;
    public static final int AUIPC = 3;
    public static final int JAL = 4;
    public static final int JALR = 5;
    public static final int BEQ = 6;
    public static final int BNE = 7;
    public static final int BLT = 8;
    public static final int BGE = 9;
    public static final int BLTU = 10;
    public static final int BGEU = 11;

    public static final int LB = 12;
    public static final int LH = 13;
    public static final int LW = 14;
    public static final int LD = 15;
    public static final int LBU = 16;
    public static final int LHU = 17;
    public static final int LWU = 18;
    public static final int SB = 19;
    public static final int SH = 20;
    public static final int SW = 21;
    public static final int SD = 22;

    public static final int ADDI = 23;
    public static final int SLTI = 24;
    public static final int SLTIU = 25;
    public static final int XORI = 26;
    public static final int ORI = 27;
    public static final int ANDI = 28;
    public static final int SLLI = 29;
    public static final int SRLI = 30;
    public static final int SRAI = 31;
    public static final int ADD = 32;
    public static final int SUB = 33;
    public static final int SLL = 34;
    public static final int SLT = 35;
    public static final int SLTU = 36;
    public static final int XOR = 37;
    public static final int SRL = 38;
    public static final int SRA = 39;
    public static final int OR = 40;
    public static final int AND = 41;
    public static final int ADDIW = 42;
    public static final int SLLIW = 43;
    public static final int SRLIW = 44;
    public static final int SRAIW = 45;
    public static final int ADDW = 46;
    public static final int SUBW = 47;
    public static final int SLLW = 48;
    public static final int SRLW = 49;
    public static final int SRAW = 50;

    public static final int MUL = 51;
    public static final int MULH = 52;
    public static final int MULHSU = 53;
    public static final int MULHU = 54;
    public static final int DIV = 55;
    public static final int DIVU = 56;
    public static final int REM = 57;
    public static final int REMU = 58;
    public static final int MULW = 59;
    public static final int DIVW = 60;
    public static final int DIVUW = 61;
    public static final int REMW = 62;
    public static final int REMUW = 63;

    /** LR.W/LR.D: the access size log2 is in the rm field. */
    public static final int LR = 64;
    /** SC.W/SC.D: the access size log2 is in the rm field. */
    public static final int SC = 65;
    /** AMO*.W/AMO*.D: the access size log2 is in the rm field, the {@link Amo} function in the immediate. */
    public static final int AMO = 66;

    public static final int FENCE = 67;
    public static final int FENCE_I = 68;
    public static final int ECALL = 69;
    public static final int EBREAK = 70;
    public static final int MRET = 71;
    public static final int SRET = 72;
    public static final int WFI = 73;
    public static final int SFENCE_VMA = 74;
    /** CSRRW/CSRRS/CSRRC and the immediate forms; the variant is in the raw instruction's funct3. */
    public static final int CSR = 75;

    /*
     * Zba, Zbb, Zbc and Zbs, executed by BitManip. An immediate form (SLLI.UW, RORI, BCLRI ...) carries its shift
     * amount or bit index in the immediate and shares its register form's semantics.
     */
    public static final int ADD_UW = 76;
    public static final int SH1ADD = 77;
    public static final int SH2ADD = 78;
    public static final int SH3ADD = 79;
    public static final int SH1ADD_UW = 80;
    public static final int SH2ADD_UW = 81;
    public static final int SH3ADD_UW = 82;
    public static final int SLLI_UW = 83;
    public static final int ANDN = 84;
    public static final int ORN = 85;
    public static final int XNOR = 86;
    public static final int CLZ = 87;
    public static final int CLZW = 88;
    public static final int CTZ = 89;
    public static final int CTZW = 90;
    public static final int CPOP = 91;
    public static final int CPOPW = 92;
    public static final int MAX = 93;
    public static final int MAXU = 94;
    public static final int MIN = 95;
    public static final int MINU = 96;
    public static final int SEXT_B = 97;
    public static final int SEXT_H = 98;
    public static final int ZEXT_H = 99;
    public static final int ROL = 100;
    public static final int ROLW = 101;
    public static final int ROR = 102;
    public static final int RORI = 103;
    public static final int RORW = 104;
    public static final int RORIW = 105;
    public static final int ORC_B = 106;
    public static final int REV8 = 107;
    public static final int CLMUL = 108;
    public static final int CLMULH = 109;
    public static final int CLMULR = 110;
    public static final int BCLR = 111;
    public static final int BCLRI = 112;
    public static final int BEXT = 113;
    public static final int BEXTI = 114;
    public static final int BINV = 115;
    public static final int BINVI = 116;
    public static final int BSET = 117;
    public static final int BSETI = 118;

    /** PAUSE (Zihintpause), a FENCE hint that {@link io.pogo.cpu.interpreter.Pause} gives a meaning on the host. */
    public static final int PAUSE = 119;

    /** First operation executed by {@link io.pogo.cpu.fpu.FloatUnit}; every op from here on is floating point. */
    public static final int FIRST_FLOAT = 128;

    public static final int FLW = 128;
    public static final int FLD = 129;
    public static final int FSW = 130;
    public static final int FSD = 131;
    public static final int FMADD = 132;
    public static final int FMSUB = 133;
    public static final int FNMSUB = 134;
    public static final int FNMADD = 135;
    public static final int FADD = 136;
    public static final int FSUB = 137;
    public static final int FMUL = 138;
    public static final int FDIV = 139;
    public static final int FSQRT = 140;
    public static final int FSGNJ = 141;
    public static final int FSGNJN = 142;
    public static final int FSGNJX = 143;
    public static final int FMIN = 144;
    public static final int FMAX = 145;
    public static final int FEQ = 146;
    public static final int FLT = 147;
    public static final int FLE = 148;
    public static final int FCLASS = 149;
    /** Float to integer; the integer type (W, WU, L, LU) is in rs2. */
    public static final int FCVT_TO_INT = 150;
    /** Integer to float; the integer type (W, WU, L, LU) is in rs2. */
    public static final int FCVT_FROM_INT = 151;
    /** FCVT.S.D and FCVT.D.S: converts from the other precision. */
    public static final int FCVT_FLOAT = 152;
    public static final int FMV_TO_INT = 153;
    public static final int FMV_FROM_INT = 154;

    static final int COUNT = 155;

    private Op() {
    }

    public static boolean isBitManip(int op) {
        return op >= ADD_UW && op <= BSETI;
    }

    /** Whether the operation ends a basic block: control transfers and everything that may leave the CPU. */
    public static boolean endsBlock(int op) {
        return switch (op) {
            case ILLEGAL, JAL, JALR, BEQ, BNE, BLT, BGE, BLTU, BGEU,
                 FENCE_I, ECALL, EBREAK, MRET, SRET, WFI, SFENCE_VMA, CSR -> true;
            default -> false;
        };
    }
}
