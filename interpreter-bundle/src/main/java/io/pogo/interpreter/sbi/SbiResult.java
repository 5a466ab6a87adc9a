package io.pogo.interpreter.sbi;

/** What an SBI call returns in a0 (error) and a1 (value). */
record SbiResult(long error, long value) {

    static final long SUCCESS = 0;
    static final long ERR_NOT_SUPPORTED = -2;
    static final long ERR_INVALID_PARAM = -3;
    static final long ERR_INVALID_ADDRESS = -5;
    static final long ERR_ALREADY_STARTED = -7;

    static SbiResult ok(long value) {
        return new SbiResult(SUCCESS, value);
    }

    static SbiResult ok() {
        return ok(0);
    }

    static SbiResult error(long error) {
        return new SbiResult(error, 0);
    }
}
