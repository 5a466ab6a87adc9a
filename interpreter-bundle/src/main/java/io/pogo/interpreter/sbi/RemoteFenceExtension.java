package io.pogo.interpreter.sbi;

import io.pogo.api.cpu.Hart;
import java.util.List;

/**
 * RFENCE ("RFNC"): remote FENCE.I and SFENCE.VMA (with or without ASID) on the harts named. The hypervisor
 * extension's fences are not supported (there is no H extension).
 */
final class RemoteFenceExtension implements SbiExtension {

    static final long ID = 0x5246_4e43L;
    private static final int FENCE_I = 0;
    private static final int SFENCE_VMA = 1;
    private static final int SFENCE_VMA_ASID = 2;

    @Override
    public long id() {
        return ID;
    }

    @Override
    public SbiResult call(SbiCall call) {
        int function = call.function();
        if (function != FENCE_I && function != SFENCE_VMA && function != SFENCE_VMA_ASID) {
            return SbiResult.error(SbiResult.ERR_NOT_SUPPORTED);
        }
        HartSet targets = call.targets(0, 1);
        if (!targets.valid()) {
            return SbiResult.error(SbiResult.ERR_INVALID_PARAM);
        }
        List<Hart> harts = call.vm().harts();
        if (function == FENCE_I) {
            targets.forEach(hart -> harts.get(hart).fenceInstructions());
            return SbiResult.ok();
        }
        long start = call.arg(2);
        long size = call.arg(3);
        long asid = function == SFENCE_VMA_ASID ? call.arg(4) : -1;
        boolean whole = size == -1 || size > 1L << 12 || start == 0 && size == 0;
        targets.forEach(hart -> harts.get(hart).flushTranslations(whole ? -1 : start, asid));
        return SbiResult.ok();
    }
}
