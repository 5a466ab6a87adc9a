package io.pogo.interpreter.privileged;

import io.pogo.api.cpu.CsrAddress;
import io.pogo.api.cpu.Exit;
import io.pogo.api.cpu.Hart;
import io.pogo.api.cpu.PrivilegeMode;
import io.pogo.api.dispatch.ExitRoutine;
import io.pogo.api.dispatch.VmContext;
import org.osgi.service.component.annotations.Component;

/**
 * WFI: idles the hart until an interrupt is pending. Illegal in U-mode (as QEMU does, the spec allowing it when
 * S-mode exists) and below M-mode when mstatus.TW is set.
 */
@Component(property = ExitRoutine.KINDS + "=WFI")
public final class WaitForInterruptRoutine implements ExitRoutine {

    @Override
    public long handle(Exit exit, Hart hart, VmContext vm) {
        PrivilegeMode mode = hart.privilege();
        boolean trapped = mode == PrivilegeMode.USER
                || mode != PrivilegeMode.MACHINE && (hart.readCsr(CsrAddress.MSTATUS) & Csrs.STATUS_TW) != 0;
        if (trapped) {
            return IllegalInstruction.raise(hart, exit);
        }
        hart.waitForInterrupt();
        return 0;
    }
}
