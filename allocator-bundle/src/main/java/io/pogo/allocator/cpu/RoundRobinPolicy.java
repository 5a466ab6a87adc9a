package io.pogo.allocator.cpu;

import io.pogo.api.allocator.RunQueue;
import io.pogo.api.allocator.SchedulableVcpu;
import io.pogo.api.allocator.SchedulingPolicy;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.osgi.service.component.annotations.Component;

/** Equal quanta in arrival order, whatever the VM: the default policy. */
@Component(property = SchedulingPolicy.NAME + "=" + RoundRobinPolicy.NAME)
public final class RoundRobinPolicy implements SchedulingPolicy {

    public static final String NAME = "round-robin";

    @Override
    public RunQueue newRunQueue(int hostCpus) {
        return new RunQueue() {
            private final ArrayDeque<SchedulableVcpu> queue = new ArrayDeque<>();

            @Override
            public void add(SchedulableVcpu vcpu) {
                queue.addLast(vcpu);
            }

            @Override
            public SchedulableVcpu next(long nowNanos) {
                return queue.pollFirst();
            }

            @Override
            public void charge(SchedulableVcpu vcpu, long nanos, long nowNanos) {
            }

            @Override
            public List<SchedulableVcpu> drain() {
                List<SchedulableVcpu> all = new ArrayList<>(queue);
                queue.clear();
                return all;
            }
        };
    }
}
