package io.pogo.interpreter.sbi;

import io.pogo.api.cpu.Hart;
import io.pogo.api.cpu.Interrupt;
import java.util.List;

/** IPI ("sPI"): send_ipi raises a supervisor software interrupt on each hart named. */
final class IpiExtension implements SbiExtension {

    static final long ID = 0x73_5049L;

    @Override
    public long id() {
        return ID;
    }

    @Override
    public SbiResult call(SbiCall call) {
        if (call.function() != 0) {
            return SbiResult.error(SbiResult.ERR_NOT_SUPPORTED);
        }
        HartSet targets = call.targets(0, 1);
        if (!targets.valid()) {
            return SbiResult.error(SbiResult.ERR_INVALID_PARAM);
        }
        List<Hart> harts = call.vm().harts();
        targets.forEach(hart -> harts.get(hart).setInterruptPending(Interrupt.SUPERVISOR_SOFTWARE, true));
        return SbiResult.ok();
    }
}
