package io.pogo.allocator.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pogo.api.cpu.CsrAddress;
import io.pogo.api.cpu.ExceptionCause;
import io.pogo.api.cpu.Exit;
import io.pogo.api.cpu.ExitKind;
import io.pogo.api.cpu.Hart;
import io.pogo.api.cpu.PrivilegeMode;
import io.pogo.api.dispatch.VmContext;
import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VcpuRoutinesTest {

    private static final int WFI = 0x1050_0073;
    private static final int ECALL = 0x73;
    private static final int A0 = 10;
    private static final int A1 = 11;
    private static final int A6 = 16;

    /** A hart as the routines see it: registers, privilege, mstatus, and what the routine asked of it. */
    private static final class RecordingHart {
        final Map<Integer, Long> registers = new HashMap<>();
        PrivilegeMode privilege = PrivilegeMode.MACHINE;
        long mstatus;
        boolean waiting;
        ExceptionCause raised;
        long raisedTval;

        Hart hart() {
            return (Hart) Proxy.newProxyInstance(Hart.class.getClassLoader(), new Class<?>[] {Hart.class},
                    (proxy, method, arguments) -> switch (method.getName()) {
                        case "id" -> 0;
                        case "privilege" -> privilege;
                        case "readCsr" -> (int) arguments[0] == CsrAddress.MSTATUS ? mstatus : 0L;
                        case "register" -> registers.getOrDefault((int) arguments[0], 0L);
                        case "setRegister" -> {
                            registers.put((int) arguments[0], (long) arguments[1]);
                            yield null;
                        }
                        case "waitForInterrupt" -> {
                            waiting = true;
                            yield null;
                        }
                        case "raiseException" -> {
                            raised = (ExceptionCause) arguments[0];
                            raisedTval = (long) arguments[1];
                            yield null;
                        }
                        default -> throw new UnsupportedOperationException(method.getName());
                    });
        }
    }

    private final RecordingHart hart = new RecordingHart();
    private final VmContext noVm = (VmContext) Proxy.newProxyInstance(VmContext.class.getClassLoader(),
            new Class<?>[] {VmContext.class}, (proxy, method, arguments) -> {
                throw new UnsupportedOperationException(method.getName());
            });

    @Test
    void wfiGivesTheHostCpuBackInMachineAndSupervisorMode() {
        WaitForInterruptRoutine wait = new WaitForInterruptRoutine();
        wait.handle(wfi(), hart.hart(), noVm);
        assertTrue(hart.waiting);
        hart.waiting = false;
        hart.privilege = PrivilegeMode.SUPERVISOR;
        wait.handle(wfi(), hart.hart(), noVm);
        assertTrue(hart.waiting);
        assertNull(hart.raised);
    }

    @Test
    void wfiIsIllegalInUserModeAndUnderTw() {
        WaitForInterruptRoutine wait = new WaitForInterruptRoutine();
        hart.privilege = PrivilegeMode.USER;
        wait.handle(wfi(), hart.hart(), noVm);
        assertEquals(ExceptionCause.ILLEGAL_INSTRUCTION, hart.raised);
        assertEquals(WFI, hart.raisedTval);
        hart.raised = null;
        hart.privilege = PrivilegeMode.SUPERVISOR;
        hart.mstatus = WaitForInterruptRoutine.STATUS_TW;
        wait.handle(wfi(), hart.hart(), noVm);
        assertEquals(ExceptionCause.ILLEGAL_INSTRUCTION, hart.raised);
        assertFalse(hart.waiting);
        hart.raised = null;
        hart.privilege = PrivilegeMode.MACHINE;
        wait.handle(wfi(), hart.hart(), noVm);
        assertTrue(hart.waiting, "TW does not apply to M-mode");
    }

    @Test
    void hsmDefaultRetentiveSuspendWaitsAsWfiAndOtherTypesAreRefused() {
        HartStateRoutine hsm = new HartStateRoutine();
        hart.registers.put(A6, 3L);
        hart.registers.put(A0, 0L);
        hsm.handle(hsmCall(), hart.hart(), noVm);
        assertTrue(hart.waiting);
        assertEquals(HartStateRoutine.SUCCESS, hart.registers.get(A0));
        for (long[] typeAndError : new long[][] {{1, HartStateRoutine.ERR_INVALID_PARAM},
                {0x8000_0000L, HartStateRoutine.ERR_NOT_SUPPORTED}, {0x8000_0001L, HartStateRoutine.ERR_INVALID_PARAM},
                {0x1000_0000L, HartStateRoutine.ERR_NOT_SUPPORTED}}) {
            hart.waiting = false;
            hart.registers.put(A0, typeAndError[0]);
            hsm.handle(hsmCall(), hart.hart(), noVm);
            String type = "suspend type 0x" + Long.toHexString(typeAndError[0]);
            assertFalse(hart.waiting, type);
            assertEquals(typeAndError[1], hart.registers.get(A0), type);
            assertEquals(0, hart.registers.get(A1));
        }
    }

    @Test
    void hsmFunctionsItDoesNotKnowAreNotSupported() {
        hart.registers.put(A6, 9L);
        new HartStateRoutine().handle(hsmCall(), hart.hart(), noVm);
        assertEquals(HartStateRoutine.ERR_NOT_SUPPORTED, hart.registers.get(A0));
    }

    private static Exit wfi() {
        return new Exit(ExitKind.WFI, WFI, 0x8000_0000L, 0, 0, 0);
    }

    private static Exit hsmCall() {
        return new Exit(ExitKind.SBI_HSM, ECALL, 0x8000_0000L, 0, 0, 0);
    }
}
