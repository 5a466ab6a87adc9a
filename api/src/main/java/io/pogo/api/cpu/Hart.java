package io.pogo.api.cpu;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The architectural state of one hardware thread, as the monitor's routines see it.
 * CSR access here is raw storage without permission checks: legality and WARL rules belong to the interpreter.
 */
@ProviderType
public interface Hart {

    int id();

    long pc();

    void setPc(long pc);

    /** Integer register x{@code index}; x0 reads as zero. */
    long register(int index);

    void setRegister(int index, long value);

    /** Floating-point register f{@code index} as raw (NaN-boxed) bits. */
    long floatRegister(int index);

    /**
     * Stores raw bits in floating-point register f{@code index}, as a debugger writes it: mstatus.FS is left as
     * it is.
     *
     * @since 1.3
     */
    void setFloatRegister(int index, long bits);

    PrivilegeMode privilege();

    void setPrivilege(PrivilegeMode mode);

    long readCsr(int address);

    /** Stores a CSR value; the CPU reacts to side effects (translation, interrupt enables). */
    void writeCsr(int address, long value);

    /**
     * Makes the current exit's instruction trap with this cause and trap value instead of completing. For an
     * access fault raised on an MMIO exit the CPU reports the access's virtual address as the trap value, which
     * only it knows.
     */
    void raiseException(ExceptionCause cause, long tval);

    /** Sets or clears a pending interrupt; safe to call from any thread (devices, other harts). */
    void setInterruptPending(Interrupt interrupt, boolean pending);

    /** Ends the current quantum; the hart sleeps until an enabled interrupt becomes pending (WFI). */
    void waitForInterrupt();

    /**
     * Drops cached translations (SFENCE.VMA semantics); {@code address} or {@code asid} of -1 mean all.
     * Safe to call from any thread (SBI remote SFENCE.VMA); takes effect at the hart's next block boundary.
     */
    void flushTranslations(long address, long asid);

    /**
     * FENCE.I on this hart, asked for from any thread (SBI remote FENCE.I): from its next block boundary on, the
     * hart fetches its instructions afresh and sees every store to code made before this call, by any writer.
     *
     * @since 1.1
     */
    void fenceInstructions();

    long instructionsRetired();

    /**
     * How many triggers the hart's trigger module has: the indexes {@link #armTrigger} takes, and the range of the
     * tselect CSR, whose tdata CSRs (raw storage like every CSR here) show the selected trigger.
     *
     * @since 1.2
     */
    int triggerCount();

    /**
     * Makes trigger {@code index} fire on {@code trigger}, replacing what it watched before. Safe to call from any
     * thread; takes effect at the hart's next block boundary, which for the guest's own CSR write is the next
     * instruction. While no trigger is armed, the hart runs at full speed.
     *
     * @since 1.2
     */
    void armTrigger(int index, AddressTrigger trigger);

    /**
     * Stops trigger {@code index} from firing; from any thread, as {@link #armTrigger}.
     *
     * @since 1.2
     */
    void disarmTrigger(int index);
}
