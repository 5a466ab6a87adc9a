package io.pogo.interpreter.sbi;

/** One SBI extension: the functions behind one extension id (a7). */
interface SbiExtension {

    long id();

    /** Functions it does not know return {@link SbiResult#ERR_NOT_SUPPORTED}. */
    SbiResult call(SbiCall call);
}
