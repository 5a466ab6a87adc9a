package io.pogo.dispatcher.vm;

import io.pogo.api.cpu.Interrupt;
import io.pogo.api.device.HartInterrupts;
import io.pogo.api.device.Timebase;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * The VM's timebase: mtime at 10 MHz from the host's monotonic clock, and one-shot timers that set a hart's
 * timer interrupt when its deadline passes. The deadline is checked by a host timer thread, never by the vCPU
 * loop, so guest execution pays nothing for timers. While the VM is stopped for a debugger the timebase stands
 * still, as QEMU's virtual clock does while the VM is stopped: no tick passes and no timer fires.
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
    private static final long RUNNING = -1;

    private static final Interrupt[] INTERRUPTS = Interrupt.values();

    /** A deadline to come, and the host timer waiting for it; no timer while the timebase stands still. */
    private record Armed(long deadline, ScheduledFuture<?> timer) {
        void cancel() {
            if (timer != null) {
                timer.cancel(false);
            }
        }
    }

    /** The host time of tick 0; moved on by the time the timebase stood still. */
    private volatile long originNanos = System.nanoTime();
    /** The tick the timebase stands still at, or {@link #RUNNING}; written before the origin is read again. */
    private volatile long stillAt = RUNNING;
    private final HartInterrupts harts;
    private final ScheduledExecutorService clock;
    private final BiConsumer<String, Throwable> failure;
    /**
     * The armed timers by slot ({@link #slotOf}), null where none is: the guest's every stimecmp write re-arms its
     * hart's, so finding it is an array index (grown on a hart's first arm).
     */
    private Armed[] armed = new Armed[0];

    /** @param failure fails the VM when raising a timer interrupt breaks (the timer thread runs on for other VMs) */
    HartTimers(HartInterrupts harts, ScheduledExecutorService clock, BiConsumer<String, Throwable> failure) {
        this.harts = harts;
        this.clock = clock;
        this.failure = failure;
    }

    @Override
    public long ticks() {
        long still = stillAt;
        return still != RUNNING ? still : (System.nanoTime() - originNanos) / NANOS_PER_TICK;
    }

    @Override
    public long frequency() {
        return FREQUENCY;
    }

    @Override
    public synchronized void arm(int hartId, Interrupt interrupt, long deadline) {
        int slot = slotOf(hartId, interrupt);
        if (slot >= armed.length) {
            armed = Arrays.copyOf(armed, slot + INTERRUPTS.length);
        }
        Armed previous = armed[slot];
        if (previous != null) {
            armed[slot] = null;
            previous.cancel();
        }
        long now = ticks();
        if (Long.compareUnsigned(deadline, now) <= 0) {
            harts.setPending(hartId, interrupt, true);
            return;
        }
        harts.setPending(hartId, interrupt, false);
        long remaining = deadline - now;
        if (remaining > 0 && remaining <= FURTHEST_DEADLINE) {
            armed[slot] = new Armed(deadline, stillAt == RUNNING ? schedule(slot, deadline, remaining) : null);
        }
    }

    private ScheduledFuture<?> schedule(int slot, long deadline, long remainingTicks) {
        return clock.schedule(() -> fire(slot, deadline), remainingTicks * NANOS_PER_TICK, TimeUnit.NANOSECONDS);
    }

    /**
     * The host timer for {@code deadline} ran out. One that ran out just as the guest moved its deadline (cancelling
     * it came too late), and waited for the lock meanwhile, finds another deadline armed and leaves it: the interrupt
     * is not raised before its time, and the deadline now armed still fires. One that ran out as the timebase stopped
     * finds its deadline waiting for the resume, which gives it a timer again.
     */
    private synchronized void fire(int slot, long deadline) {
        Armed current = armed[slot];
        if (current == null || current.deadline() != deadline || current.timer() == null) {
            return;
        }
        armed[slot] = null;
        try {
            harts.setPending(hartOf(slot), interruptOf(slot), true);
        } catch (RuntimeException | Error e) {
            failure.accept("timer of hart " + hartOf(slot), e);
        }
    }

    /** Stops the timebase: ticks stand still and the armed timers wait, until {@link #resume}. */
    synchronized void pause() {
        if (stillAt != RUNNING) {
            return;
        }
        stillAt = ticks();
        for (int slot = 0; slot < armed.length; slot++) {
            Armed timer = armed[slot];
            if (timer != null) {
                timer.cancel();
                armed[slot] = new Armed(timer.deadline(), null);
            }
        }
    }

    /** Lets the timebase run on from the tick it stood still at; the armed timers wait for what is left. */
    synchronized void resume() {
        long still = stillAt;
        if (still == RUNNING) {
            return;
        }
        originNanos = System.nanoTime() - still * NANOS_PER_TICK;
        stillAt = RUNNING;
        for (int slot = 0; slot < armed.length; slot++) {
            Armed timer = armed[slot];
            if (timer != null) {
                armed[slot] = new Armed(timer.deadline(),
                        schedule(slot, timer.deadline(), Math.max(0, timer.deadline() - still)));
            }
        }
    }

    /** The tick now and the timers armed, as a snapshot keeps them; call it while the timebase stands still. */
    synchronized TimebaseState save() {
        List<TimebaseState.ArmedTimer> timers = new ArrayList<>();
        for (int slot = 0; slot < armed.length; slot++) {
            if (armed[slot] != null) {
                timers.add(new TimebaseState.ArmedTimer(hartOf(slot), interruptOf(slot), armed[slot].deadline()));
            }
        }
        return new TimebaseState(ticks(), List.copyOf(timers));
    }

    /** Makes the timebase run on from the snapshot's tick, with its timers armed again; the VM has not run yet. */
    synchronized void restore(TimebaseState state) {
        cancelAll();
        if (stillAt != RUNNING) {
            stillAt = state.ticks();
        } else {
            originNanos = System.nanoTime() - state.ticks() * NANOS_PER_TICK;
        }
        for (TimebaseState.ArmedTimer timer : state.timers()) {
            arm(timer.hartId(), timer.interrupt(), timer.deadline());
        }
    }

    /** Cancels every pending timer: the VM is gone. */
    synchronized void cancelAll() {
        for (Armed timer : armed) {
            if (timer != null) {
                timer.cancel();
            }
        }
        Arrays.fill(armed, null);
    }

    private static int slotOf(int hartId, Interrupt interrupt) {
        return hartId * INTERRUPTS.length + interrupt.ordinal();
    }

    private static int hartOf(int slot) {
        return slot / INTERRUPTS.length;
    }

    private static Interrupt interruptOf(int slot) {
        return INTERRUPTS[slot % INTERRUPTS.length];
    }
}
