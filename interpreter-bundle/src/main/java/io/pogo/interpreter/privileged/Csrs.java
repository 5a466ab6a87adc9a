package io.pogo.interpreter.privileged;

/** The mstatus fields and interrupt masks the routines work with (RV64, 1.12); CSR numbers are in the API. */
final class Csrs {
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

    /** Sstc: while set, stimecmp alone drives mip.STIP and supervisor mode may reach stimecmp. */
    static final long ENVCFG_STCE = 1L << 63;
    /** mcounteren.TM: the time CSR, and with Sstc stimecmp, below machine mode. */
    static final long COUNTEREN_TM = 1L << 1;

    static final long SUPERVISOR_TIMER_PENDING = 1L << 5;
    /** SSIP, STIP, SEIP: the supervisor interrupts, the only ones mideleg can delegate. */
    static final long SUPERVISOR_INTERRUPTS = 0x222;
    /** Every standard interrupt enable in mie. */
    static final long ALL_INTERRUPTS = 0xAAA;

    private Csrs() {
    }
}
