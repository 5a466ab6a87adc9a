package io.pogo.cpu;

/** The CSR numbers and status bits the CPU itself reads or writes (trap delivery, translation, interrupts). */
final class Csr {
    static final int FCSR = 0x003;
    static final int SSTATUS = 0x100;
    static final int STVEC = 0x105;
    static final int SEPC = 0x141;
    static final int SCAUSE = 0x142;
    static final int STVAL = 0x143;
    static final int SATP = 0x180;
    static final int MSTATUS = 0x300;
    static final int MISA = 0x301;
    static final int MEDELEG = 0x302;
    static final int MIDELEG = 0x303;
    static final int MIE = 0x304;
    static final int MTVEC = 0x305;
    static final int MEPC = 0x341;
    static final int MCAUSE = 0x342;
    static final int MTVAL = 0x343;
    static final int MIP = 0x344;
    static final int MCYCLE = 0xB00;
    static final int MINSTRET = 0xB02;
    static final int CYCLE = 0xC00;
    static final int INSTRET = 0xC02;
    static final int MHARTID = 0xF14;

    static final long SIE = 1L << 1;
    static final long MIE_BIT = 1L << 3;
    static final long SPIE = 1L << 5;
    static final long MPIE = 1L << 7;
    static final long SPP = 1L << 8;
    static final int MPP_SHIFT = 11;
    static final long MPP = 3L << MPP_SHIFT;
    static final int FS_SHIFT = 13;
    static final long FS = 3L << FS_SHIFT;
    static final long MPRV = 1L << 17;
    static final long SUM = 1L << 18;
    static final long MXR = 1L << 19;
    static final long SD = 1L << 63;
    /** UXL = SXL = 2: XLEN 64 in every mode. */
    static final long XLEN_FIELDS = 2L << 32 | 2L << 34;

    /** MXL = 64 and the extensions I, M, A, F, D, C, S, U. */
    static final long MISA_RV64GC = 2L << 62 | 1 << ('I' - 'A') | 1 << ('M' - 'A') | 1 << ('A' - 'A')
            | 1 << ('F' - 'A') | 1 << ('D' - 'A') | 1 << ('C' - 'A') | 1 << ('S' - 'A') | 1 << ('U' - 'A');

    static final int COUNT = 4096;

    private Csr() {
    }
}
