package io.pogo.api.cpu;

import io.pogo.api.state.Stateful;
import org.osgi.annotation.versioning.ProviderType;

/** One virtual CPU: runs guest code until its budget is spent, it idles, or it is kicked. */
@ProviderType
public interface VCpu {

    Hart hart();

    /** Runs at most about {@code instructionBudget} instructions on the calling thread. */
    RunOutcome run(long instructionBudget);

    /** Asks a running quantum to end at the next block boundary; callable from any thread. */
    void kick();

    /** Whether an interrupt that would wake the hart from WFI is pending. */
    boolean hasWakeupInterrupt();

    /**
     * What a debugger needs of this vCPU beyond its {@link #hart()}: breakpoints, single steps, address translation.
     *
     * @since 1.3
     */
    HartDebug debug();

    /** The code cache of the VM this vCPU belongs to (shared by all its vCPUs). */
    CodeCacheStats codeCache();

    /**
     * The hart's whole state for a snapshot: registers, pc, privilege, every CSR, the trigger module, pending
     * interrupts. A restore clears the LR reservation and the translation and code caches.
     *
     * @since 1.4
     */
    Stateful state();

    /**
     * Drops what the vCPU keeps only to run fast (its decoded and compiled code) once its VM has stopped; the hart
     * stays readable. Call it only while the vCPU is not running.
     */
    void release();
}
