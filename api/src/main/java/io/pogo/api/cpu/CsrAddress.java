package io.pogo.api.cpu;

/**
 * The CSR numbers of the privileged architecture (RV64, version 1.12) that Pogo implements: the addresses
 * {@link Hart#readCsr} and {@link Hart#writeCsr} take, shared by the CPU, which stores them, and the interpreter,
 * which gives them their meaning.
 */
public interface CsrAddress {
    int FFLAGS = 0x001;
    int FRM = 0x002;
    int FCSR = 0x003;
    int CYCLE = 0xC00;
    int TIME = 0xC01;
    int INSTRET = 0xC02;
    int HPMCOUNTER3 = 0xC03;
    int HPMCOUNTER31 = 0xC1F;
    int SSTATUS = 0x100;
    int SIE = 0x104;
    int STVEC = 0x105;
    int SCOUNTEREN = 0x106;
    int SENVCFG = 0x10A;
    int SSCRATCH = 0x140;
    int SEPC = 0x141;
    int SCAUSE = 0x142;
    int STVAL = 0x143;
    int SIP = 0x144;
    /** Sstc: the supervisor timer compare. */
    int STIMECMP = 0x14D;
    int SATP = 0x180;
    int MSTATUS = 0x300;
    int MISA = 0x301;
    int MEDELEG = 0x302;
    int MIDELEG = 0x303;
    int MIE = 0x304;
    int MTVEC = 0x305;
    int MCOUNTEREN = 0x306;
    int MENVCFG = 0x30A;
    int MCOUNTINHIBIT = 0x320;
    int MHPMEVENT3 = 0x323;
    int MHPMEVENT31 = 0x33F;
    int MSCRATCH = 0x340;
    int MEPC = 0x341;
    int MCAUSE = 0x342;
    int MTVAL = 0x343;
    int MIP = 0x344;
    int PMPCFG0 = 0x3A0;
    int PMPCFG15 = 0x3AF;
    int PMPADDR0 = 0x3B0;
    int PMPADDR63 = 0x3EF;
    /** The debug trigger module: which trigger tdata1..tdata3 show, and the trigger types it supports. */
    int TSELECT = 0x7A0;
    int TDATA1 = 0x7A1;
    int TDATA2 = 0x7A2;
    int TDATA3 = 0x7A3;
    int TINFO = 0x7A4;
    int MCYCLE = 0xB00;
    int MINSTRET = 0xB02;
    int MHPMCOUNTER3 = 0xB03;
    int MHPMCOUNTER31 = 0xB1F;
    int MVENDORID = 0xF11;
    int MARCHID = 0xF12;
    int MIMPID = 0xF13;
    int MHARTID = 0xF14;
    int MCONFIGPTR = 0xF15;
}
