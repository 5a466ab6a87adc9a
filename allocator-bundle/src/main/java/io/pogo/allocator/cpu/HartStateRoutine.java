package io.pogo.allocator.cpu;

import io.pogo.api.cpu.Exit;
import io.pogo.api.cpu.Hart;
import io.pogo.api.dispatch.ExitRoutine;
import io.pogo.api.dispatch.HartControl;
import io.pogo.api.dispatch.VmContext;
import org.osgi.service.component.annotations.Component;

/**
 * SBI Hart State Management, as the dispatcher classifies it out of the hypercalls: a hart that starts asks for a
 * host CPU (the scheduler queues it), one that stops or suspends gives its host CPU back. The SBI calling convention
 * holds: function id in a6, arguments in a0..a2, error back in a0 and value in a1. Retentive suspend waits as WFI
 * does; non-retentive suspend is not supported.
 */
@Component(property = ExitRoutine.KINDS + "=SBI_HSM")
public final class HartStateRoutine implements ExitRoutine {

    private static final int A0 = 10;
    private static final int A1 = 11;
    private static final int A2 = 12;
    private static final int A6 = 16;
    static final long SUCCESS = 0;
    static final long ERR_NOT_SUPPORTED = -2;
    static final long ERR_INVALID_PARAM = -3;
    static final long ERR_INVALID_ADDRESS = -5;
    static final long ERR_ALREADY_STARTED = -7;
    private static final long DEFAULT_RETENTIVE_SUSPEND = 0;
    private static final long DEFAULT_NON_RETENTIVE_SUSPEND = 0x8000_0000L;

    @Override
    public long handle(Exit exit, Hart hart, VmContext vm) {
        long[] result = switch ((int) hart.register(A6)) {
            case 0 -> start(hart, vm);
            case 1 -> {
                vm.hartControl().stopCurrent(hart.id());
                yield ok(0);
            }
            case 2 -> status(hart, vm);
            case 3 -> suspend(hart);
            default -> error(ERR_NOT_SUPPORTED);
        };
        hart.setRegister(A0, result[0]);
        hart.setRegister(A1, result[1]);
        return 0;
    }

    private static long[] start(Hart hart, VmContext vm) {
        long target = hart.register(A0);
        long address = hart.register(A1);
        if (target < 0 || target >= vm.harts().size()) {
            return error(ERR_INVALID_PARAM);
        }
        if (!vm.memory().contains(address, 2)) {
            return error(ERR_INVALID_ADDRESS);
        }
        return vm.hartControl().start((int) target, address, hart.register(A2)) ? ok(0)
                : error(ERR_ALREADY_STARTED);
    }

    private static long[] status(Hart hart, VmContext vm) {
        long target = hart.register(A0);
        if (target < 0 || target >= vm.harts().size()) {
            return error(ERR_INVALID_PARAM);
        }
        HartControl harts = vm.hartControl();
        return ok(switch (harts.status((int) target)) {
            case STARTED -> 0;
            case STOPPED -> 1;
            case START_PENDING -> 2;
            case STOP_PENDING -> 3;
        });
    }

    /** SBI's suspend types: 0 is the default retentive one; the ranges SBI reserves are invalid. */
    private static long[] suspend(Hart hart) {
        long type = hart.register(A0) & 0xFFFF_FFFFL;
        if (type == DEFAULT_RETENTIVE_SUSPEND) {
            hart.waitForInterrupt();
            return ok(0);
        }
        boolean reserved = type < 0x1000_0000L
                || type > DEFAULT_NON_RETENTIVE_SUSPEND && type < 0x9000_0000L;
        return error(reserved ? ERR_INVALID_PARAM : ERR_NOT_SUPPORTED);
    }

    private static long[] ok(long value) {
        return new long[] {SUCCESS, value};
    }

    private static long[] error(long error) {
        return new long[] {error, 0};
    }
}
