package io.pogo.interpreter.privileged;

import io.pogo.api.cpu.CsrAddress;
import io.pogo.api.cpu.Hart;
import io.pogo.api.dispatch.VmContext;

/**
 * satp is WARL: a write selecting an unsupported mode is ignored entirely, which is how Linux probes for Sv57,
 * Sv48 and Sv39 in turn. Supported: Bare, Sv39, Sv48; ASIDs are 16 bits.
 */
final class AddressTranslationRule implements CsrRule {
    static final AddressTranslationRule INSTANCE = new AddressTranslationRule();
    private static final int BARE = 0;
    private static final int SV39 = 8;
    private static final int SV48 = 9;
    private static final long ASID_AND_PPN = 0xFFFFL << 44 | (1L << 44) - 1;

    private AddressTranslationRule() {
    }

    @Override
    public long read(Hart hart, VmContext vm) {
        return hart.readCsr(CsrAddress.SATP);
    }

    @Override
    public void write(Hart hart, VmContext vm, long value) {
        int mode = (int) (value >>> 60);
        if (mode == BARE || mode == SV39 || mode == SV48) {
            hart.writeCsr(CsrAddress.SATP, value & (0xFL << 60 | ASID_AND_PPN));
        }
    }
}
