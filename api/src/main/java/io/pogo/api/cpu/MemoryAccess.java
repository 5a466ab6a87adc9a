package io.pogo.api.cpu;

/** The kinds of memory access a hart makes, as address triggers tell them apart. */
public enum MemoryAccess {
    /** Fetching an instruction to execute it. */
    EXECUTE,
    LOAD,
    /** Stores, and the write of an atomic memory operation. */
    STORE
}
