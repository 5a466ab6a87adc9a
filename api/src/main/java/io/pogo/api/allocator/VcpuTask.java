package io.pogo.api.allocator;

import org.osgi.annotation.versioning.ConsumerType;

/** A vCPU as the scheduler sees it: something that runs for one quantum on a host CPU. */
@ConsumerType
public interface VcpuTask {

    /** Runs one quantum of at most {@code instructionBudget} instructions on the calling host thread. */
    TaskState runQuantum(long instructionBudget);

    /** Asks a running quantum to end soon (called from another thread when it must be preempted). */
    void preempt();
}
