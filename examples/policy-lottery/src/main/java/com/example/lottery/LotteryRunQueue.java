package com.example.lottery;

import io.pogo.api.allocator.RunQueue;
import io.pogo.api.allocator.SchedulableVcpu;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/** The queued vCPUs and a draw over their tickets. */
final class LotteryRunQueue implements RunQueue {

    private final List<SchedulableVcpu> queued = new ArrayList<>();
    private final RandomGenerator random = RandomGenerator.of("L64X128MixRandom");

    @Override
    public void add(SchedulableVcpu vcpu) {
        queued.add(vcpu);
    }

    @Override
    public SchedulableVcpu next(long nowNanos) {
        long tickets = queued.stream().mapToLong(LotteryRunQueue::tickets).sum();
        if (tickets == 0) {
            return null;
        }
        long winner = random.nextLong(tickets);
        for (int i = 0; i < queued.size(); i++) {
            winner -= tickets(queued.get(i));
            if (winner < 0) {
                return queued.remove(i);
            }
        }
        throw new IllegalStateException("the draw missed every ticket");
    }

    @Override
    public void charge(SchedulableVcpu vcpu, long nanos, long nowNanos) {
    }

    @Override
    public List<SchedulableVcpu> drain() {
        List<SchedulableVcpu> all = List.copyOf(queued);
        queued.clear();
        return all;
    }

    private static long tickets(SchedulableVcpu vcpu) {
        return Math.max(1, vcpu.weight());
    }
}
