package io.pogo.api.allocator;

/**
 * What the scheduler handed a VM so far: the quanta its vCPUs ran (each at most one instruction budget) and the
 * host CPU time they were charged.
 */
public record SchedulingUsage(long quanta, long hostCpuNanos) {

    public static final SchedulingUsage NONE = new SchedulingUsage(0, 0);

    public SchedulingUsage plus(SchedulingUsage other) {
        return new SchedulingUsage(quanta + other.quanta, hostCpuNanos + other.hostCpuNanos);
    }
}
