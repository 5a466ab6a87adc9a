package io.pogo.interpreter.privileged;

import io.pogo.api.cpu.CsrAddress;
import io.pogo.api.cpu.Exit;
import io.pogo.api.cpu.Hart;
import io.pogo.api.cpu.PrivilegeMode;
import io.pogo.api.dispatch.ExitRoutine;
import io.pogo.api.dispatch.VmContext;
import org.osgi.service.component.annotations.Component;

/**
 * CSRRW, CSRRS, CSRRC and their immediate forms: checks that the current mode may access the CSR, then reads
 * and writes it through its {@link CsrRule}. Returns the old value, which the CPU writes to rd.
 */
@Component(property = {ExitRoutine.KINDS + "=CSR_ACCESS", ExitRoutine.KINDS + "=SATP_WRITE"})
public final class CsrAccessRoutine implements ExitRoutine {
    private static final int CSRRW = 1;
    private static final int CSRRS = 2;

    @Override
    public long handle(Exit exit, Hart hart, VmContext vm) {
        int instruction = exit.instruction();
        int variant = (instruction >>> 12) & 3;
        int source = (instruction >>> 15) & 31;
        int address = (int) exit.address();
        boolean writes = variant == CSRRW || source != 0;
        CsrRule rule = CsrTable.rule(address);
        if (rule == null || !permitted(address, writes, hart)) {
            return IllegalInstruction.raise(hart, exit);
        }
        long old = rule.read(hart, vm);
        if (writes) {
            long operand = exit.value();
            rule.write(hart, vm, switch (variant) {
                case CSRRW -> operand;
                case CSRRS -> old | operand;
                default -> old & ~operand;
            });
        }
        return old;
    }

    private static boolean permitted(int address, boolean writes, Hart hart) {
        PrivilegeMode mode = hart.privilege();
        int required = (address >>> 8) & 3;
        boolean readOnly = (address >>> 10) == 3;
        if (mode.level() < required || writes && readOnly) {
            return false;
        }
        if (address == CsrAddress.SATP && mode == PrivilegeMode.SUPERVISOR
                && (hart.readCsr(CsrAddress.MSTATUS) & Csrs.STATUS_TVM) != 0) {
            return false;
        }
        if (CsrTable.isFloatingPoint(address) && !StatusRules.floatingPointEnabled(hart)) {
            return false;
        }
        if (address == CsrAddress.STIMECMP && mode != PrivilegeMode.MACHINE && !supervisorTimerCompareEnabled(hart)) {
            return false;
        }
        return !CsrTable.isUserCounter(address) || counterEnabled(address - CsrAddress.CYCLE, mode, hart);
    }

    /** Sstc: below machine mode, stimecmp needs both menvcfg.STCE and mcounteren.TM. */
    private static boolean supervisorTimerCompareEnabled(Hart hart) {
        return (hart.readCsr(CsrAddress.MENVCFG) & Csrs.ENVCFG_STCE) != 0
                && (hart.readCsr(CsrAddress.MCOUNTEREN) & Csrs.COUNTEREN_TM) != 0;
    }

    /** User counters need their mcounteren bit below M-mode and also their scounteren bit in U-mode. */
    private static boolean counterEnabled(int counter, PrivilegeMode mode, Hart hart) {
        boolean machineAllows = mode == PrivilegeMode.MACHINE || (hart.readCsr(CsrAddress.MCOUNTEREN) >>> counter & 1) != 0;
        boolean supervisorAllows = mode != PrivilegeMode.USER || (hart.readCsr(CsrAddress.SCOUNTEREN) >>> counter & 1) != 0;
        return machineAllows && supervisorAllows;
    }
}
