package io.pogo.interpreter.sbi;

/**
 * SRST ("SRST"): shutdown ends the VM with status 0 (1 for a system failure); cold and warm reboot reset it. A
 * successful call does not return: the calling hart stops while the VM goes down.
 */
final class SystemResetExtension implements SbiExtension {

    static final long ID = 0x5352_5354L;
    private static final long SHUTDOWN = 0;
    private static final long COLD_REBOOT = 1;
    private static final long WARM_REBOOT = 2;
    private static final long SYSTEM_FAILURE = 1;

    @Override
    public long id() {
        return ID;
    }

    @Override
    public SbiResult call(SbiCall call) {
        if (call.function() != 0) {
            return SbiResult.error(SbiResult.ERR_NOT_SUPPORTED);
        }
        long type = call.arg(0);
        long reason = call.arg(1);
        if (type == SHUTDOWN) {
            call.vm().power().powerOff(reason == SYSTEM_FAILURE ? 1 : 0);
        } else if (type == COLD_REBOOT || type == WARM_REBOOT) {
            call.vm().power().reset();
        } else {
            return SbiResult.error(SbiResult.ERR_INVALID_PARAM);
        }
        call.vm().hartControl().stopCurrent(call.hart().id());
        return SbiResult.ok();
    }
}
