package io.pogo.gdb;

import io.pogo.api.cpu.CsrAddress;
import io.pogo.api.cpu.Hart;
import io.pogo.api.cpu.PrivilegeMode;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The registers gdb sees, numbered as QEMU's stub numbers them so that gdb's RISC-V support works unchanged: x0-x31
 * are 0-31, the pc 32, f0-f31 33-64 (raw 64-bit, NaN-boxed), the privilege level 65 ("priv"), and CSR number n is
 * 66 + n. CSRs are read and written raw, except the views whose storage is another CSR's (sstatus, sie, sip,
 * fflags, frm), which show and change the bits of mstatus, mie, mip and fcsr they stand for.
 */
final class RegisterFile {
    static final int PC = 32;
    static final int FIRST_FLOAT = 33;
    static final int PRIVILEGE = 65;
    static final int FIRST_CSR = 66;
    /** x0-x31 and the pc: what the 'g' packet carries. */
    static final int GENERAL_COUNT = 33;

    /** The CSRs gdb is told of, by number: those the CPU and interpreter implement, as QEMU 7.2 lists them. */
    static final Map<Integer, String> CSRS = csrs();

    /** sstatus shows these bits of mstatus: SIE, SPIE, SPP, FS, XS, SUM, MXR, UXL and SD. */
    private static final long SSTATUS_BITS = 0x8000_0003_000D_E122L;
    private static final long FFLAGS_BITS = 0x1F;
    private static final long FRM_BITS = 0xE0;

    private RegisterFile() {
    }

    private static Map<Integer, String> csrs() {
        Map<Integer, String> csrs = new LinkedHashMap<>();
        csrs.put(CsrAddress.FFLAGS, "fflags");
        csrs.put(CsrAddress.FRM, "frm");
        csrs.put(CsrAddress.FCSR, "fcsr");
        csrs.put(CsrAddress.SSTATUS, "sstatus");
        csrs.put(CsrAddress.SIE, "sie");
        csrs.put(CsrAddress.STVEC, "stvec");
        csrs.put(CsrAddress.SCOUNTEREN, "scounteren");
        csrs.put(CsrAddress.SENVCFG, "senvcfg");
        csrs.put(CsrAddress.SSCRATCH, "sscratch");
        csrs.put(CsrAddress.SEPC, "sepc");
        csrs.put(CsrAddress.SCAUSE, "scause");
        csrs.put(CsrAddress.STVAL, "stval");
        csrs.put(CsrAddress.SIP, "sip");
        csrs.put(CsrAddress.STIMECMP, "stimecmp");
        csrs.put(CsrAddress.SATP, "satp");
        csrs.put(CsrAddress.MSTATUS, "mstatus");
        csrs.put(CsrAddress.MISA, "misa");
        csrs.put(CsrAddress.MEDELEG, "medeleg");
        csrs.put(CsrAddress.MIDELEG, "mideleg");
        csrs.put(CsrAddress.MIE, "mie");
        csrs.put(CsrAddress.MTVEC, "mtvec");
        csrs.put(CsrAddress.MCOUNTEREN, "mcounteren");
        csrs.put(CsrAddress.MENVCFG, "menvcfg");
        csrs.put(CsrAddress.MCOUNTINHIBIT, "mcountinhibit");
        for (int n = 3; n <= 31; n++) {
            csrs.put(CsrAddress.MHPMEVENT3 + n - 3, "mhpmevent" + n);
        }
        csrs.put(CsrAddress.MSCRATCH, "mscratch");
        csrs.put(CsrAddress.MEPC, "mepc");
        csrs.put(CsrAddress.MCAUSE, "mcause");
        csrs.put(CsrAddress.MTVAL, "mtval");
        csrs.put(CsrAddress.MIP, "mip");
        csrs.put(CsrAddress.PMPCFG0, "pmpcfg0");
        csrs.put(CsrAddress.PMPCFG0 + 2, "pmpcfg2");
        for (int n = 0; n < 16; n++) {
            csrs.put(CsrAddress.PMPADDR0 + n, "pmpaddr" + n);
        }
        csrs.put(CsrAddress.TSELECT, "tselect");
        csrs.put(CsrAddress.TDATA1, "tdata1");
        csrs.put(CsrAddress.TDATA2, "tdata2");
        csrs.put(CsrAddress.MCYCLE, "mcycle");
        csrs.put(CsrAddress.MINSTRET, "minstret");
        for (int n = 3; n <= 31; n++) {
            csrs.put(CsrAddress.MHPMCOUNTER3 + n - 3, "mhpmcounter" + n);
        }
        csrs.put(CsrAddress.MVENDORID, "mvendorid");
        csrs.put(CsrAddress.MARCHID, "marchid");
        csrs.put(CsrAddress.MIMPID, "mimpid");
        csrs.put(CsrAddress.MHARTID, "mhartid");
        csrs.put(CsrAddress.MCONFIGPTR, "mconfigptr");
        return Map.copyOf(csrs);
    }

    /** Register {@code number} of {@code hart}; empty for a number gdb was not told of. */
    static OptionalLong read(Hart hart, int number) {
        if (number < 32) {
            return OptionalLong.of(hart.register(number));
        }
        if (number == PC) {
            return OptionalLong.of(hart.pc());
        }
        if (number < PRIVILEGE) {
            return OptionalLong.of(hart.floatRegister(number - FIRST_FLOAT));
        }
        if (number == PRIVILEGE) {
            return OptionalLong.of(hart.privilege().level());
        }
        int csr = number - FIRST_CSR;
        if (!CSRS.containsKey(csr)) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(switch (csr) {
            case CsrAddress.SSTATUS -> hart.readCsr(CsrAddress.MSTATUS) & SSTATUS_BITS;
            case CsrAddress.SIE -> hart.readCsr(CsrAddress.MIE) & hart.readCsr(CsrAddress.MIDELEG);
            case CsrAddress.SIP -> hart.readCsr(CsrAddress.MIP) & hart.readCsr(CsrAddress.MIDELEG);
            case CsrAddress.FFLAGS -> hart.readCsr(CsrAddress.FCSR) & FFLAGS_BITS;
            case CsrAddress.FRM -> (hart.readCsr(CsrAddress.FCSR) & FRM_BITS) >>> 5;
            default -> hart.readCsr(csr);
        });
    }

    /** Writes register {@code number}; false for a number gdb was not told of. */
    static boolean write(Hart hart, int number, long value) {
        if (number < 32) {
            hart.setRegister(number, value);
        } else if (number == PC) {
            hart.setPc(value);
        } else if (number < PRIVILEGE) {
            hart.setFloatRegister(number - FIRST_FLOAT, value);
        } else if (number == PRIVILEGE) {
            hart.setPrivilege(switch ((int) value & 3) {
                case 0 -> PrivilegeMode.USER;
                case 3 -> PrivilegeMode.MACHINE;
                default -> PrivilegeMode.SUPERVISOR;
            });
        } else {
            int csr = number - FIRST_CSR;
            if (!CSRS.containsKey(csr)) {
                return false;
            }
            switch (csr) {
                case CsrAddress.SSTATUS -> merge(hart, CsrAddress.MSTATUS, SSTATUS_BITS, value);
                case CsrAddress.SIE -> merge(hart, CsrAddress.MIE, hart.readCsr(CsrAddress.MIDELEG), value);
                case CsrAddress.SIP -> merge(hart, CsrAddress.MIP, hart.readCsr(CsrAddress.MIDELEG), value);
                case CsrAddress.FFLAGS -> merge(hart, CsrAddress.FCSR, FFLAGS_BITS, value);
                case CsrAddress.FRM -> merge(hart, CsrAddress.FCSR, FRM_BITS, value << 5);
                default -> hart.writeCsr(csr, value);
            }
        }
        return true;
    }

    private static void merge(Hart hart, int csr, long bits, long value) {
        hart.writeCsr(csr, hart.readCsr(csr) & ~bits | value & bits);
    }
}
