package io.pogo.api.allocator;

import java.util.List;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A policy's queue of runnable vCPUs. The allocator calls it under its own lock, so implementations need no
 * synchronization of their own, and must return quickly: every host CPU waits on it.
 */
@ConsumerType
public interface RunQueue {

    /** {@code vcpu} became runnable (admitted, woken, or its quantum ended and it can run on). */
    void add(SchedulableVcpu vcpu);

    /** Removes and returns the vCPU to run next, or null when none may run now (all queued ones are capped). */
    SchedulableVcpu next(long nowNanos);

    /** {@code vcpu} ran for {@code nanos} of host CPU time; it may come from a previous policy's queue. */
    void charge(SchedulableVcpu vcpu, long nanos, long nowNanos);

    /** Empties the queue, in the order the vCPUs would have run: another policy takes them over. */
    List<SchedulableVcpu> drain();
}
