package io.pogo.interpreter.sbi;

import io.pogo.api.cpu.Interrupt;

/** TIME ("TIME"): set_timer programs the calling hart's supervisor timer and clears a pending one. */
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
        call.vm().timebase().arm(call.hart().id(), Interrupt.SUPERVISOR_TIMER, call.arg(0));
        return SbiResult.ok();
    }
}
