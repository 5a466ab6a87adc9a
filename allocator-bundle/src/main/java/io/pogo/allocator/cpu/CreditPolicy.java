package io.pogo.allocator.cpu;

import io.pogo.api.allocator.RunQueue;
import io.pogo.api.allocator.SchedulableVcpu;
import io.pogo.api.allocator.SchedulingPolicy;
import org.osgi.service.component.annotations.Component;

/**
 * Proportional share in the manner of Xen's credit schedulers: every accounting period, the host CPU time of
 * the period is handed out as credit to the VMs in proportion to their weights; running spends credit. The vCPU
 * whose VM has the most credit runs next (so VMs with credit left run before those that overdrew it, and
 * overdrawing is paid back), and a VM that used its cap for the period waits for the next one.
 */
@Component(property = SchedulingPolicy.NAME + "=" + CreditPolicy.NAME)
public final class CreditPolicy implements SchedulingPolicy {

    public static final String NAME = "credit";

    @Override
    public RunQueue newRunQueue(int hostCpus) {
        return new CreditRunQueue(hostCpus);
    }
}
