package io.pogo.api.dispatch;

import io.pogo.api.cpu.Exit;
import io.pogo.api.cpu.Hart;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A routine the dispatcher routes exits to, registered as a service with the property {@value #KINDS} listing
 * the {@link io.pogo.api.cpu.ExitKind} names it handles. The interpreter registers routines for privileged
 * instructions, hypercalls and MMIO; the allocator for resource-changing exits.
 */
@ConsumerType
public interface ExitRoutine {

    String KINDS = "exit.kind";

    /** Same contract as {@link io.pogo.api.cpu.ExitHandler#handle}. */
    long handle(Exit exit, Hart hart, VmContext vm);
}
