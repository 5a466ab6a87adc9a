package com.example.lottery;

import io.pogo.api.allocator.RunQueue;
import io.pogo.api.allocator.SchedulingPolicy;
import org.osgi.service.component.annotations.Component;

/**
 * Lottery scheduling (Waldspurger and Weihl, 1994): every runnable vCPU holds as many tickets as its VM's
 * weight, and each quantum goes to the holder of a ticket drawn at random. Select it with
 * {@code alloc:use sched lottery} once this bundle is started.
 */
@Component(property = SchedulingPolicy.NAME + "=lottery")
public final class LotteryPolicy implements SchedulingPolicy {

    @Override
    public RunQueue newRunQueue(int hostCpus) {
        return new LotteryRunQueue();
    }
}
