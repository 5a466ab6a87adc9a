package io.pogo.api.allocator;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Decides which runnable vCPU a free host CPU runs next. Registered as a service with the property
 * {@value #NAME}; the allocator runs the selected one and can swap policies while VMs run.
 */
@ConsumerType
public interface SchedulingPolicy {

    /** Service property: the name users select the policy by ({@code alloc:use sched NAME}). */
    String NAME = "policy.name";

    /** An empty run queue for a pool of {@code hostCpus} host CPUs. */
    RunQueue newRunQueue(int hostCpus);
}
