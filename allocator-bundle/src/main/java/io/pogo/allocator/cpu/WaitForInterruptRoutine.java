package io.pogo.allocator.cpu;

import io.pogo.api.cpu.CsrAddress;
import io.pogo.api.cpu.ExceptionCause;
import io.pogo.api.cpu.Exit;
import io.pogo.api.cpu.Hart;
import io.pogo.api.cpu.PrivilegeMode;
import io.pogo.api.dispatch.ExitRoutine;
import io.pogo.api.dispatch.VmContext;
import org.osgi.service.component.annotations.Component;

/**
 * WFI: the vCPU gives its host CPU back until an interrupt is pending; the scheduler takes it off the run queue
 * and the wake-up puts it back. Illegal in U-mode (as QEMU does, the spec allowing it when S-mode exists) and
 * below M-mode when mstatus.TW is set.
 */
@Component(property = ExitRoutine.KINDS + "=WFI")
public final class WaitForInterruptRoutine implements ExitRoutine {

    static final long STATUS_TW = 1L << 21;

    @Override
    public long handle(Exit exit, Hart hart, VmContext vm) {
        PrivilegeMode mode = hart.privilege();
        boolean trapped = mode == PrivilegeMode.USER
                || mode != PrivilegeMode.MACHINE && (hart.readCsr(CsrAddress.MSTATUS) & STATUS_TW) != 0;
        if (trapped) {
            hart.raiseException(ExceptionCause.ILLEGAL_INSTRUCTION, exit.instruction() & 0xFFFF_FFFFL);
            return 0;
        }
        hart.waitForInterrupt();
        return 0;
    }
}
