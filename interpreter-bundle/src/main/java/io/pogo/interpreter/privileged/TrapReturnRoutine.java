package io.pogo.interpreter.privileged;

import io.pogo.api.cpu.Exit;
import io.pogo.api.cpu.ExitKind;
import io.pogo.api.cpu.Hart;
import io.pogo.api.cpu.PrivilegeMode;
import io.pogo.api.dispatch.ExitRoutine;
import io.pogo.api.dispatch.VmContext;
import org.osgi.service.component.annotations.Component;

import static io.pogo.api.cpu.CsrAddress.*;
import static io.pogo.interpreter.privileged.Csrs.*;

/**
 * MRET and SRET: pop the mstatus privilege stack and jump to xepc. As in privileged spec 1.12, returning to a
 * mode below M clears MPRV. SRET is illegal in U-mode, and in S-mode when mstatus.TSR is set.
 */
@Component(property = {ExitRoutine.KINDS + "=MRET", ExitRoutine.KINDS + "=SRET"})
public final class TrapReturnRoutine implements ExitRoutine {

    @Override
    public long handle(Exit exit, Hart hart, VmContext vm) {
        return exit.kind() == ExitKind.MRET ? machineReturn(exit, hart) : supervisorReturn(exit, hart);
    }

    private static long machineReturn(Exit exit, Hart hart) {
        if (hart.privilege() != PrivilegeMode.MACHINE) {
            return IllegalInstruction.raise(hart, exit);
        }
        long status = hart.readCsr(MSTATUS);
        PrivilegeMode target = mode((int) ((status & STATUS_MPP) >>> MPP_SHIFT));
        status = status & ~(STATUS_MIE | STATUS_MPP) | ((status & STATUS_MPIE) != 0 ? STATUS_MIE : 0) | STATUS_MPIE;
        return returnTo(hart, target, status, hart.readCsr(MEPC));
    }

    private static long supervisorReturn(Exit exit, Hart hart) {
        long status = hart.readCsr(MSTATUS);
        PrivilegeMode current = hart.privilege();
        if (current == PrivilegeMode.USER
                || current == PrivilegeMode.SUPERVISOR && (status & STATUS_TSR) != 0) {
            return IllegalInstruction.raise(hart, exit);
        }
        PrivilegeMode target = (status & STATUS_SPP) != 0 ? PrivilegeMode.SUPERVISOR : PrivilegeMode.USER;
        status = status & ~(STATUS_SIE | STATUS_SPP) | ((status & STATUS_SPIE) != 0 ? STATUS_SIE : 0) | STATUS_SPIE;
        return returnTo(hart, target, status, hart.readCsr(SEPC));
    }

    private static long returnTo(Hart hart, PrivilegeMode target, long status, long pc) {
        if (target != PrivilegeMode.MACHINE) {
            status &= ~STATUS_MPRV;
        }
        hart.writeCsr(MSTATUS, status);
        hart.setPrivilege(target);
        hart.setPc(pc);
        return 0;
    }

    private static PrivilegeMode mode(int level) {
        return switch (level) {
            case 0 -> PrivilegeMode.USER;
            case 1 -> PrivilegeMode.SUPERVISOR;
            default -> PrivilegeMode.MACHINE;
        };
    }
}
