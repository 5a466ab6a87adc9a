package io.pogo.api.cpu;

import java.util.OptionalLong;
import org.osgi.annotation.versioning.ProviderType;

/**
 * What a debugger needs of one hart beyond its {@link Hart}: software breakpoints, single steps and the debugger's
 * view of the hart's address space. Breakpoints take effect at the hart's next block boundary and may be changed
 * from any thread; the rest is for a hart that is not running (stopped for the debugger, parked or not started).
 * Guest memory and the guest's own trigger module are left as they are.
 *
 * @since 1.3
 */
@ProviderType
public interface HartDebug {

    /**
     * Stops the hart before it executes an instruction at virtual address {@code address}, in any privilege mode,
     * however its code was translated or compiled: {@link VCpu#run} returns
     * {@link RunOutcome#STOPPED_FOR_DEBUGGER} with the pc at {@code address}.
     */
    void insertBreakpoint(long address);

    void removeBreakpoint(long address);

    /**
     * Makes the next {@link VCpu#run} execute exactly one instruction (or take the trap it raises) and stop with
     * {@link DebugStop.Stepped}, or with {@link DebugStop.Watchpoint} before an access the debugger watches. A
     * breakpoint at the pc does not stop that instruction, and no interrupt is taken while stepping, as QEMU steps
     * by default. A {@link VCpu#kick} that came first ends that run with no step taken: ask again.
     */
    void requestStep();

    /** Why the last run returned {@link RunOutcome#STOPPED_FOR_DEBUGGER}; null before any such stop. */
    DebugStop stopReason();

    /**
     * Removes every software breakpoint, disarms every trigger armed for the debugger and forgets a requested
     * step: the debugger is gone.
     */
    void clear();

    /**
     * The guest-physical address a load from {@code virtualAddress} would use in the hart's current privilege
     * mode and address space, with no page fault, no accessed or dirty bit set and no permission check (a debugger
     * reads what the guest cannot); empty when no page maps it.
     */
    OptionalLong translate(long virtualAddress);
}
