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
    MMIO_STORE,
    /**
     * A HYPERCALL to SBI's Hart State Management extension (a hart starts, stops or suspends). The CPU raises it
     * as HYPERCALL; the dispatcher classifies it, because it changes the host CPUs the VM holds.
     *
     * @since 1.4
     */
    SBI_HSM,
    /**
     * The first touch of a chunk of guest RAM with no host memory behind it, raised on the CPU's TLB-miss path;
     * {@link Exit#address()} is the guest-physical address touched and {@link Exit#pc()} where the hart's current
     * block began. The routine returns 1 once the chunk is backed, or 0 when the access must wait: the instruction
     * does not happen, and the hart runs it again when it next runs.
     *
     * @since 1.4
     */
    UNBACKED_MEMORY
}
