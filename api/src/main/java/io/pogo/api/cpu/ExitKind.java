package io.pogo.api.cpu;

/**
 * The sensitive events that stop direct execution and leave the CPU for the monitor.
 * Everything else, including traps the guest delegated to itself, stays inside the CPU.
 */
public enum ExitKind {
    /** CSRRW/CSRRS/CSRRC and their immediate forms; {@link Exit#address()} is the CSR number. */
    CSR_ACCESS,
    /** A write to satp: the guest changes address space. */
    SATP_WRITE,
    MRET,
    SRET,
    WFI,
    SFENCE_VMA,
    /** ECALL addressed to the hypervisor (SBI), when the guest has no machine mode of its own. */
    HYPERCALL,
    /** A load from a guest-physical address outside RAM. */
    MMIO_LOAD,
    /** A store to a guest-physical address outside RAM. */
    MMIO_STORE
}
