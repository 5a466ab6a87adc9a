package io.pogo.dispatcher.vm;

import io.pogo.api.cpu.Interrupt;
import io.pogo.api.device.HartInterrupts;
import io.pogo.api.device.Timebase;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * The VM's timebase: mtime at 10 MHz from the host's monotonic clock, and one-shot timers that set a hart's
 * timer interrupt when its deadline passes. The deadline is checked by a host timer thread, never by the vCPU
 * loop, so guest execution pays nothing for timers.
 */
public final class HartTimers implements Timebase {

    /** mtime runs at 10 MHz, as on QEMU's virt board. */
    public static final long FREQUENCY = 10_000_000;
    private static final long NANOS_PER_TICK = 1_000_000_000 / FREQUENCY;
    /**
     * The furthest deadline a host timer can wait for (about 29 years); one further away, such as the "never"
     * that software writes as a huge compare value, never comes.
     */
    private static final long FURTHEST_DEADLINE = Long.MAX_VALUE / NANOS_PER_TICK;

    private record Key(int hartId, Interrupt interrupt) {
    }

    private final long originNanos = System.nanoTime();
    private final HartInterrupts harts;
    private final ScheduledExecutorService clock;
    private final BiConsumer<String, Throwable> failure;
    private final Map<Key, ScheduledFuture<?>> armed = new HashMap<>();

    /** @param failure fails the VM when raising a timer interrupt breaks (the timer thread runs on for other VMs) */
    HartTimers(HartInterrupts harts, ScheduledExecutorService clock, BiConsumer<String, Throwable> failure) {
        this.harts = harts;
        this.clock = clock;
        this.failure = failure;
    }

    @Override
    public long ticks() {
        return (System.nanoTime() - originNanos) / NANOS_PER_TICK;
    }

    @Override
    public long frequency() {
        return FREQUENCY;
    }

    @Override
    public synchronized void arm(int hartId, Interrupt interrupt, long deadline) {
        Key key = new Key(hartId, interrupt);
        ScheduledFuture<?> previous = armed.remove(key);
        if (previous != null) {
            previous.cancel(false);
        }
        long now = ticks();
        if (Long.compareUnsigned(deadline, now) <= 0) {
            harts.setPending(hartId, interrupt, true);
            return;
        }
        harts.setPending(hartId, interrupt, false);
        long remaining = deadline - now;
        if (remaining > 0 && remaining <= FURTHEST_DEADLINE) {
            armed.put(key, clock.schedule(() -> fire(key), remaining * NANOS_PER_TICK, TimeUnit.NANOSECONDS));
        }
    }

    private synchronized void fire(Key key) {
        armed.remove(key);
        try {
            harts.setPending(key.hartId(), key.interrupt(), true);
        } catch (RuntimeException | Error e) {
            failure.accept("timer of hart " + key.hartId(), e);
        }
    }

    /** Cancels every pending timer: the VM is gone. */
    synchronized void cancelAll() {
        armed.values().forEach(timer -> timer.cancel(false));
        armed.clear();
    }
}
