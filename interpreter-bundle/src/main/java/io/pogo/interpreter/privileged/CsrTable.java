package io.pogo.interpreter.privileged;

import io.pogo.api.cpu.Hart;
import io.pogo.api.dispatch.VmContext;

import static io.pogo.api.cpu.CsrAddress.*;
import static io.pogo.interpreter.privileged.Csrs.*;

/** Every implemented CSR and its rule; a number without a rule does not exist and raises illegal instruction. */
final class CsrTable {
    private static final long ALL = -1L;
    /** medeleg: every exception except ECALL from M-mode and the reserved causes 10 and 14. */
    private static final long DELEGABLE_EXCEPTIONS = 0xB3FF;
    /**
     * senvcfg: FIOM and the cache-block fields CBIE, CBCFE and CBZE, writable on QEMU 7.2's default CPU although
     * it has no Zicbom or Zicboz (they only read back).
     */
    private static final long SENVCFG_WRITABLE = 0xF1;
    /** menvcfg: the same, plus PBMTE (also only read back, as on QEMU 7.2) and STCE. */
    private static final long MENVCFG_WRITABLE = SENVCFG_WRITABLE | 1L << 62 | ENVCFG_STCE;
    private static final long PMPADDR_BITS = (1L << 54) - 1;
    private static final long SUPERVISOR_SOFTWARE_PENDING = 1L << 1;
    private static final CsrRule[] RULES = new CsrRule[4096];

    static {
        define(FFLAGS, floatingPoint(0x1F, 0));
        define(FRM, floatingPoint(0xE0, 5));
        define(FCSR, floatingPoint(0xFF, 0));
        define(CYCLE, new CsrRule.Fixed(CYCLE));
        define(TIME, new CsrRule.Time());
        define(INSTRET, new CsrRule.Fixed(INSTRET));
        defineRange(HPMCOUNTER3, HPMCOUNTER31, CsrRule.Fixed::new);

        define(SSTATUS, StatusRules.SUPERVISOR);
        define(SIE, new CsrRule.DelegatedEnables(ALL_INTERRUPTS));
        define(STVEC, trapVector(STVEC));
        define(SCOUNTEREN, new CsrRule.Stored(SCOUNTEREN, 0xFFFF_FFFFL));
        define(SENVCFG, new CsrRule.Stored(SENVCFG, SENVCFG_WRITABLE));
        define(SSCRATCH, new CsrRule.Stored(SSCRATCH, ALL));
        define(SEPC, new CsrRule.Stored(SEPC, ~1L));
        define(SCAUSE, new CsrRule.Stored(SCAUSE, ALL));
        define(STVAL, new CsrRule.Stored(STVAL, ALL));
        define(SIP, new CsrRule.PendingInterrupts(SUPERVISOR_SOFTWARE_PENDING, true));
        define(STIMECMP, SupervisorTimerCompare.INSTANCE);
        define(SATP, AddressTranslationRule.INSTANCE);

        define(MSTATUS, StatusRules.MACHINE);
        define(MISA, new CsrRule.Fixed(MISA));
        define(MEDELEG, new CsrRule.Stored(MEDELEG, DELEGABLE_EXCEPTIONS));
        define(MIDELEG, new CsrRule.Stored(MIDELEG, SUPERVISOR_INTERRUPTS));
        define(MIE, new CsrRule.Stored(MIE, ALL_INTERRUPTS));
        define(MTVEC, trapVector(MTVEC));
        define(MCOUNTEREN, new CsrRule.Stored(MCOUNTEREN, 0xFFFF_FFFFL));
        define(MENVCFG, new CsrRule.Stored(MENVCFG, MENVCFG_WRITABLE));
        define(MCOUNTINHIBIT, new CsrRule.Fixed(MCOUNTINHIBIT));
        defineRange(MHPMEVENT3, MHPMEVENT31, CsrRule.Fixed::new);
        define(MSCRATCH, new CsrRule.Stored(MSCRATCH, ALL));
        define(MEPC, new CsrRule.Stored(MEPC, ~1L));
        define(MCAUSE, new CsrRule.Stored(MCAUSE, ALL));
        define(MTVAL, new CsrRule.Stored(MTVAL, ALL));
        define(MIP, new CsrRule.PendingInterrupts(SUPERVISOR_INTERRUPTS, false));
        for (int cfg = PMPCFG0; cfg <= PMPCFG15; cfg += 2) {
            define(cfg, new CsrRule.Stored(cfg, ALL));
        }
        defineRange(PMPADDR0, PMPADDR63, address -> new CsrRule.Stored(address, PMPADDR_BITS));
        define(TSELECT, TriggerRules.SELECT);
        define(TDATA1, TriggerRules.CONTROL);
        define(TDATA2, TriggerRules.ADDRESS);
        define(TDATA3, TriggerRules.EXTRA);
        define(TINFO, TriggerRules.INFO);
        define(MCYCLE, new CsrRule.Stored(MCYCLE, ALL));
        define(MINSTRET, new CsrRule.Stored(MINSTRET, ALL));
        defineRange(MHPMCOUNTER3, MHPMCOUNTER31, CsrRule.Fixed::new);
        for (int id : new int[] {MVENDORID, MARCHID, MIMPID, MHARTID, MCONFIGPTR}) {
            define(id, new CsrRule.Fixed(id));
        }
    }

    private CsrTable() {
    }

    /** The rule of CSR {@code address}, or null when the CSR does not exist. */
    static CsrRule rule(int address) {
        return RULES[address & 0xFFF];
    }

    static boolean isFloatingPoint(int address) {
        return address >= FFLAGS && address <= FCSR;
    }

    static boolean isUserCounter(int address) {
        return address >= CYCLE && address <= HPMCOUNTER31;
    }

    private static void define(int address, CsrRule rule) {
        RULES[address] = rule;
    }

    private static void defineRange(int first, int last, java.util.function.IntFunction<CsrRule> rule) {
        for (int address = first; address <= last; address++) {
            define(address, rule.apply(address));
        }
    }

    /** fflags, frm and fcsr: views of fcsr; any write marks the floating-point state dirty. */
    private static CsrRule floatingPoint(long mask, int shift) {
        CsrRule.View view = new CsrRule.View(FCSR, mask, shift);
        return new CsrRule() {
            @Override
            public long read(Hart hart, VmContext vm) {
                return view.read(hart, vm);
            }

            @Override
            public void write(Hart hart, VmContext vm, long value) {
                view.write(hart, vm, value);
                StatusRules.markFloatingPointDirty(hart);
            }
        };
    }

    /** mtvec and stvec: direct (0) and vectored (1) modes; the reserved modes 2 and 3 fall back to direct. */
    private static CsrRule trapVector(int address) {
        return new CsrRule() {
            @Override
            public long read(Hart hart, VmContext vm) {
                return hart.readCsr(address);
            }

            @Override
            public void write(Hart hart, VmContext vm, long value) {
                hart.writeCsr(address, (value & 3) >= 2 ? value & ~3L : value);
            }
        };
    }
}
