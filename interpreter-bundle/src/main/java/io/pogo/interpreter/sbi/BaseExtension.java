package io.pogo.interpreter.sbi;

import java.util.function.LongPredicate;

/** BASE (0x10): versions, identities, and which extensions exist. */
final class BaseExtension implements SbiExtension {

    static final long ID = 0x10;
    /** SBI specification 2.0. */
    static final long SPEC_VERSION = 2L << 24;
    /** An implementation id outside the ones the SBI specification has assigned. */
    static final long IMPLEMENTATION_ID = 0x504f_474f;
    static final long IMPLEMENTATION_VERSION = 1;

    private final LongPredicate available;

    BaseExtension(LongPredicate available) {
        this.available = available;
    }

    @Override
    public long id() {
        return ID;
    }

    @Override
    public SbiResult call(SbiCall call) {
        return switch (call.function()) {
            case 0 -> SbiResult.ok(SPEC_VERSION);
            case 1 -> SbiResult.ok(IMPLEMENTATION_ID);
            case 2 -> SbiResult.ok(IMPLEMENTATION_VERSION);
            case 3 -> SbiResult.ok(available.test(call.arg(0)) ? 1 : 0);
            case 4, 5, 6 -> SbiResult.ok(0);
            default -> SbiResult.error(SbiResult.ERR_NOT_SUPPORTED);
        };
    }
}
