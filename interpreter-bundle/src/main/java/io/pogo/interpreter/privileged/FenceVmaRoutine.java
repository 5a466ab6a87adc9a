package io.pogo.interpreter.privileged;

import io.pogo.api.cpu.CsrAddress;
import io.pogo.api.cpu.Exit;
import io.pogo.api.cpu.Hart;
import io.pogo.api.cpu.PrivilegeMode;
import io.pogo.api.dispatch.ExitRoutine;
import io.pogo.api.dispatch.VmContext;
import org.osgi.service.component.annotations.Component;

/**
 * SFENCE.VMA: drops cached translations. rs1 = x0 means every address and rs2 = x0 every ASID; the exit carries
 * their values as address and value. Illegal in U-mode, and in S-mode when mstatus.TVM is set.
 */
@Component(property = ExitRoutine.KINDS + "=SFENCE_VMA")
public final class FenceVmaRoutine implements ExitRoutine {
    private static final long ALL = -1;

    @Override
    public long handle(Exit exit, Hart hart, VmContext vm) {
        PrivilegeMode mode = hart.privilege();
        if (mode == PrivilegeMode.USER
                || mode == PrivilegeMode.SUPERVISOR && (hart.readCsr(CsrAddress.MSTATUS) & Csrs.STATUS_TVM) != 0) {
            return IllegalInstruction.raise(hart, exit);
        }
        int instruction = exit.instruction();
        boolean allAddresses = ((instruction >>> 15) & 31) == 0;
        boolean allSpaces = ((instruction >>> 20) & 31) == 0;
        hart.flushTranslations(allAddresses ? ALL : exit.address(), allSpaces ? ALL : exit.value());
        return 0;
    }
}
