package io.pogo.interpreter.sbi;

import io.pogo.interpreter.privileged.SupervisorTimerCompare;

/**
 * TIME ("TIME"): set_timer programs the calling hart's supervisor timer and clears a pending one. The hart has
 * Sstc, so this is its stimecmp, as OpenSBI makes it on such harts: a kernel that sets stimecmp itself and one
 * that asks through SBI drive the same compare.
 */
final class TimerExtension implements SbiExtension {

    static final long ID = 0x5449_4d45L;

    @Override
    public long id() {
        return ID;
    }

    @Override
    public SbiResult call(SbiCall call) {
        if (call.function() != 0) {
            return SbiResult.error(SbiResult.ERR_NOT_SUPPORTED);
        }
        SupervisorTimerCompare.program(call.hart(), call.vm(), call.arg(0));
        return SbiResult.ok();
    }
}
