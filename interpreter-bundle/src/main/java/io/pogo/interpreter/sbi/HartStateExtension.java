package io.pogo.interpreter.sbi;

import io.pogo.api.dispatch.HartControl;
import io.pogo.api.dispatch.HartStatus;

/** HSM ("HSM"): start, stop and query harts. Suspend is not supported. */
final class HartStateExtension implements SbiExtension {

    static final long ID = 0x48_534dL;

    @Override
    public long id() {
        return ID;
    }

    @Override
    public SbiResult call(SbiCall call) {
        HartControl harts = call.vm().hartControl();
        int hartCount = call.vm().harts().size();
        return switch (call.function()) {
            case 0 -> {
                long hart = call.arg(0);
                if (hart < 0 || hart >= hartCount) {
                    yield SbiResult.error(SbiResult.ERR_INVALID_PARAM);
                }
                if (!call.vm().memory().contains(call.arg(1), 2)) {
                    yield SbiResult.error(SbiResult.ERR_INVALID_ADDRESS);
                }
                yield harts.start((int) hart, call.arg(1), call.arg(2)) ? SbiResult.ok()
                        : SbiResult.error(SbiResult.ERR_ALREADY_STARTED);
            }
            case 1 -> {
                harts.stopCurrent(call.hart().id());
                yield SbiResult.ok();
            }
            case 2 -> {
                long hart = call.arg(0);
                yield hart < 0 || hart >= hartCount ? SbiResult.error(SbiResult.ERR_INVALID_PARAM)
                        : SbiResult.ok(statusCode(harts.status((int) hart)));
            }
            default -> SbiResult.error(SbiResult.ERR_NOT_SUPPORTED);
        };
    }

    private static long statusCode(HartStatus status) {
        return switch (status) {
            case STARTED -> 0;
            case STOPPED -> 1;
            case START_PENDING -> 2;
            case STOP_PENDING -> 3;
        };
    }
}
