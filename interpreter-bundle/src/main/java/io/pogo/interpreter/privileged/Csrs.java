package io.pogo.interpreter.privileged;

/** CSR numbers and mstatus fields of the privileged architecture (RV64, 1.12). */
final class Csrs {
    static final int FFLAGS = 0x001;
    static final int FRM = 0x002;
    static final int FCSR = 0x003;
    static final int CYCLE = 0xC00;
    static final int TIME = 0xC01;
    static final int INSTRET = 0xC02;
    static final int HPMCOUNTER3 = 0xC03;
    static final int HPMCOUNTER31 = 0xC1F;

    static final int SSTATUS = 0x100;
    static final int SIE = 0x104;
    static final int STVEC = 0x105;
    static final int SCOUNTEREN = 0x106;
    static final int SENVCFG = 0x10A;
    static final int SSCRATCH = 0x140;
    static final int SEPC = 0x141;
    static final int SCAUSE = 0x142;
    static final int STVAL = 0x143;
    static final int SIP = 0x144;
    static final int SATP = 0x180;

    static final int MSTATUS = 0x300;
    static final int MISA = 0x301;
    static final int MEDELEG = 0x302;
    static final int MIDELEG = 0x303;
    static final int MIE = 0x304;
    static final int MTVEC = 0x305;
    static final int MCOUNTEREN = 0x306;
    static final int MENVCFG = 0x30A;
    static final int MCOUNTINHIBIT = 0x320;
    static final int MHPMEVENT3 = 0x323;
    static final int MHPMEVENT31 = 0x33F;
    static final int MSCRATCH = 0x340;
    static final int MEPC = 0x341;
    static final int MCAUSE = 0x342;
    static final int MTVAL = 0x343;
    static final int MIP = 0x344;
    static final int PMPCFG0 = 0x3A0;
    static final int PMPCFG15 = 0x3AF;
    static final int PMPADDR0 = 0x3B0;
    static final int PMPADDR63 = 0x3EF;
    static final int MCYCLE = 0xB00;
    static final int MINSTRET = 0xB02;
    static final int MHPMCOUNTER3 = 0xB03;
    static final int MHPMCOUNTER31 = 0xB1F;
    static final int MVENDORID = 0xF11;
    static final int MARCHID = 0xF12;
    static final int MIMPID = 0xF13;
    static final int MHARTID = 0xF14;
    static final int MCONFIGPTR = 0xF15;

    static final long STATUS_SIE = 1L << 1;
    static final long STATUS_MIE = 1L << 3;
    static final long STATUS_SPIE = 1L << 5;
    static final long STATUS_MPIE = 1L << 7;
    static final long STATUS_SPP = 1L << 8;
    static final int MPP_SHIFT = 11;
    static final long STATUS_MPP = 3L << MPP_SHIFT;
    static final long STATUS_FS = 3L << 13;
    static final long STATUS_XS = 3L << 15;
    static final long STATUS_MPRV = 1L << 17;
    static final long STATUS_SUM = 1L << 18;
    static final long STATUS_MXR = 1L << 19;
    static final long STATUS_TVM = 1L << 20;
    static final long STATUS_TW = 1L << 21;
    static final long STATUS_TSR = 1L << 22;
    static final long STATUS_UXL = 3L << 32;
    static final long STATUS_SD = 1L << 63;

    /** SSIP, STIP, SEIP: the supervisor interrupts, the only ones mideleg can delegate. */
    static final long SUPERVISOR_INTERRUPTS = 0x222;
    /** Every standard interrupt enable in mie. */
    static final long ALL_INTERRUPTS = 0xAAA;

    private Csrs() {
    }
}
