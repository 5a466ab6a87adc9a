package io.pogo.api.cpu;

/** Synchronous exception causes of the privileged architecture (mcause/scause with the interrupt bit clear). */
public enum ExceptionCause {
    INSTRUCTION_ADDRESS_MISALIGNED(0),
    INSTRUCTION_ACCESS_FAULT(1),
    ILLEGAL_INSTRUCTION(2),
    BREAKPOINT(3),
    LOAD_ADDRESS_MISALIGNED(4),
    LOAD_ACCESS_FAULT(5),
    STORE_ADDRESS_MISALIGNED(6),
    STORE_ACCESS_FAULT(7),
    ECALL_FROM_USER(8),
    ECALL_FROM_SUPERVISOR(9),
    ECALL_FROM_MACHINE(11),
    INSTRUCTION_PAGE_FAULT(12),
    LOAD_PAGE_FAULT(13),
    STORE_PAGE_FAULT(15);

    private final int code;

    ExceptionCause(int code) {
        this.code = code;
    }

    /** The value written to the cause CSR. */
    public int code() {
        return code;
    }
}
