package io.pogo.cpu.trap;

/** The status bits the CPU itself reads or writes (trap delivery, translation, interrupts); CSR numbers are in the API. */
public final class Csr {
    static final long SIE = 1L << 1;
    static final long MIE_BIT = 1L << 3;
    static final long SPIE = 1L << 5;
    static final long MPIE = 1L << 7;
    static final long SPP = 1L << 8;
    public static final int MPP_SHIFT = 11;
    public static final long MPP = 3L << MPP_SHIFT;
    static final int FS_SHIFT = 13;
    public static final long FS = 3L << FS_SHIFT;
    public static final long MPRV = 1L << 17;
    public static final long SUM = 1L << 18;
    public static final long MXR = 1L << 19;
    public static final long SD = 1L << 63;
    /** UXL = SXL = 2: XLEN 64 in every mode. */
    public static final long XLEN_FIELDS = 2L << 32 | 2L << 34;

    /** MXL = 64 and the extensions I, M, A, F, D, C, S, U. */
    public static final long MISA_RV64GC = 2L << 62 | 1 << ('I' - 'A') | 1 << ('M' - 'A') | 1 << ('A' - 'A')
            | 1 << ('F' - 'A') | 1 << ('D' - 'A') | 1 << ('C' - 'A') | 1 << ('S' - 'A') | 1 << ('U' - 'A');

    public static final int COUNT = 4096;

    private Csr() {
    }
}
