package io.pogo.cpu;

/**
 * Internal operation codes of decoded instructions. They are plain int constants rather than an enum because the
 * executor switches on them once per instruction, and a dense int switch compiles to a single jump table.
 */
final class Op {
    static final int ILLEGAL = 0;
    static final int NOP = 1;

    static final int LUI = 2;
    static final int AUIPC = 3;
    static final int JAL = 4;
    static final int JALR = 5;
    static final int BEQ = 6;
    static final int BNE = 7;
    static final int BLT = 8;
    static final int BGE = 9;
    static final int BLTU = 10;
    static final int BGEU = 11;

    static final int LB = 12;
    static final int LH = 13;
    static final int LW = 14;
    static final int LD = 15;
    static final int LBU = 16;
    static final int LHU = 17;
    static final int LWU = 18;
    static final int SB = 19;
    static final int SH = 20;
    static final int SW = 21;
    static final int SD = 22;

    static final int ADDI = 23;
    static final int SLTI = 24;
    static final int SLTIU = 25;
    static final int XORI = 26;
    static final int ORI = 27;
    static final int ANDI = 28;
    static final int SLLI = 29;
    static final int SRLI = 30;
    static final int SRAI = 31;
    static final int ADD = 32;
    static final int SUB = 33;
    static final int SLL = 34;
    static final int SLT = 35;
    static final int SLTU = 36;
    static final int XOR = 37;
    static final int SRL = 38;
    static final int SRA = 39;
    static final int OR = 40;
    static final int AND = 41;
    static final int ADDIW = 42;
    static final int SLLIW = 43;
    static final int SRLIW = 44;
    static final int SRAIW = 45;
    static final int ADDW = 46;
    static final int SUBW = 47;
    static final int SLLW = 48;
    static final int SRLW = 49;
    static final int SRAW = 50;

    static final int MUL = 51;
    static final int MULH = 52;
    static final int MULHSU = 53;
    static final int MULHU = 54;
    static final int DIV = 55;
    static final int DIVU = 56;
    static final int REM = 57;
    static final int REMU = 58;
    static final int MULW = 59;
    static final int DIVW = 60;
    static final int DIVUW = 61;
    static final int REMW = 62;
    static final int REMUW = 63;

    /** LR.W/LR.D: the access size log2 is in the rm field. */
    static final int LR = 64;
    /** SC.W/SC.D: the access size log2 is in the rm field. */
    static final int SC = 65;
    /** AMO*.W/AMO*.D: the access size log2 is in the rm field, the {@link Amo} function in the immediate. */
    static final int AMO = 66;

    static final int FENCE = 67;
    static final int FENCE_I = 68;
    static final int ECALL = 69;
    static final int EBREAK = 70;
    static final int MRET = 71;
    static final int SRET = 72;
    static final int WFI = 73;
    static final int SFENCE_VMA = 74;
    /** CSRRW/CSRRS/CSRRC and the immediate forms; the variant is in the raw instruction's funct3. */
    static final int CSR = 75;

    /*
     * Zba, Zbb, Zbc and Zbs, executed by BitManip. An immediate form (SLLI.UW, RORI, BCLRI ...) carries its shift
     * amount or bit index in the immediate and shares its register form's semantics.
     */
    static final int ADD_UW = 76;
    static final int SH1ADD = 77;
    static final int SH2ADD = 78;
    static final int SH3ADD = 79;
    static final int SH1ADD_UW = 80;
    static final int SH2ADD_UW = 81;
    static final int SH3ADD_UW = 82;
    static final int SLLI_UW = 83;
    static final int ANDN = 84;
    static final int ORN = 85;
    static final int XNOR = 86;
    static final int CLZ = 87;
    static final int CLZW = 88;
    static final int CTZ = 89;
    static final int CTZW = 90;
    static final int CPOP = 91;
    static final int CPOPW = 92;
    static final int MAX = 93;
    static final int MAXU = 94;
    static final int MIN = 95;
    static final int MINU = 96;
    static final int SEXT_B = 97;
    static final int SEXT_H = 98;
    static final int ZEXT_H = 99;
    static final int ROL = 100;
    static final int ROLW = 101;
    static final int ROR = 102;
    static final int RORI = 103;
    static final int RORW = 104;
    static final int RORIW = 105;
    static final int ORC_B = 106;
    static final int REV8 = 107;
    static final int CLMUL = 108;
    static final int CLMULH = 109;
    static final int CLMULR = 110;
    static final int BCLR = 111;
    static final int BCLRI = 112;
    static final int BEXT = 113;
    static final int BEXTI = 114;
    static final int BINV = 115;
    static final int BINVI = 116;
    static final int BSET = 117;
    static final int BSETI = 118;

    /** PAUSE (Zihintpause), a FENCE hint that {@link Pause} gives a meaning on the host. */
    static final int PAUSE = 119;

    /** First operation executed by {@link FloatUnit}; every op from here on is floating point. */
    static final int FIRST_FLOAT = 128;

    static final int FLW = 128;
    static final int FLD = 129;
    static final int FSW = 130;
    static final int FSD = 131;
    static final int FMADD = 132;
    static final int FMSUB = 133;
    static final int FNMSUB = 134;
    static final int FNMADD = 135;
    static final int FADD = 136;
    static final int FSUB = 137;
    static final int FMUL = 138;
    static final int FDIV = 139;
    static final int FSQRT = 140;
    static final int FSGNJ = 141;
    static final int FSGNJN = 142;
    static final int FSGNJX = 143;
    static final int FMIN = 144;
    static final int FMAX = 145;
    static final int FEQ = 146;
    static final int FLT = 147;
    static final int FLE = 148;
    static final int FCLASS = 149;
    /** Float to integer; the integer type (W, WU, L, LU) is in rs2. */
    static final int FCVT_TO_INT = 150;
    /** Integer to float; the integer type (W, WU, L, LU) is in rs2. */
    static final int FCVT_FROM_INT = 151;
    /** FCVT.S.D and FCVT.D.S: converts from the other precision. */
    static final int FCVT_FLOAT = 152;
    static final int FMV_TO_INT = 153;
    static final int FMV_FROM_INT = 154;

    static final int COUNT = 155;

    private Op() {
    }

    static boolean isBitManip(int op) {
        return op >= ADD_UW && op <= BSETI;
    }

    /** Whether the operation ends a basic block: control transfers and everything that may leave the CPU. */
    static boolean endsBlock(int op) {
        return switch (op) {
            case ILLEGAL, JAL, JALR, BEQ, BNE, BLT, BGE, BLTU, BGEU,
                 FENCE_I, ECALL, EBREAK, MRET, SRET, WFI, SFENCE_VMA, CSR -> true;
            default -> false;
        };
    }
}
