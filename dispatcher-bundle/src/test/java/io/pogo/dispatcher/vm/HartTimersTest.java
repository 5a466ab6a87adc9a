package io.pogo.dispatcher.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pogo.api.cpu.Interrupt;
import io.pogo.api.device.HartInterrupts;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HartTimersTest {

    private record Change(int hartId, Interrupt interrupt, boolean pending) {
    }

    private final List<Change> changes = new ArrayList<>();
    private final ScheduledThreadPoolExecutor clock = new ScheduledThreadPoolExecutor(1);
    private final HartTimers timers = new HartTimers(new HartInterrupts() {
        @Override
        public int hartCount() {
            return 1;
        }

        @Override
        public synchronized void setPending(int hartId, Interrupt interrupt, boolean pending) {
            changes.add(new Change(hartId, interrupt, pending));
        }
    }, clock, (where, failure) -> {
        throw new AssertionError(where, failure);
    });

    HartTimersTest() {
        clock.setRemoveOnCancelPolicy(true);
    }

    @AfterEach
    void stopClock() {
        clock.shutdownNow();
    }

    @Test
    void aDeadlinePassedIsPendingAtOnceAndOneToComeClearsAndWaits() {
        timers.arm(0, Interrupt.SUPERVISOR_TIMER, 0);
        assertEquals(List.of(new Change(0, Interrupt.SUPERVISOR_TIMER, true)), changes);
        assertTrue(clock.getQueue().isEmpty());
        timers.arm(0, Interrupt.SUPERVISOR_TIMER, timers.ticks() + HartTimers.FREQUENCY * 3600);
        assertEquals(new Change(0, Interrupt.SUPERVISOR_TIMER, false), changes.getLast());
        assertEquals(1, clock.getQueue().size());
    }

    /** Software writes a huge compare value to mean "never": no host timer may turn it into "now". */
    @Test
    void aDeadlineBeyondWhatTheHostClockCountsNeverFires() {
        timers.arm(0, Interrupt.SUPERVISOR_TIMER, timers.ticks() + (1L << 62));
        assertEquals(List.of(new Change(0, Interrupt.SUPERVISOR_TIMER, false)), changes);
        assertTrue(clock.getQueue().isEmpty());
        timers.arm(0, Interrupt.MACHINE_TIMER, -1);
        assertFalse(changes.getLast().pending());
        assertTrue(clock.getQueue().isEmpty());
    }

    /** Stopped for a debugger: the guest's time stands still, and its timers wait for what was left of them. */
    @Test
    void whileStoppedNoTickPassesAndTimersWaitUntilResumed() throws InterruptedException {
        timers.arm(0, Interrupt.SUPERVISOR_TIMER, timers.ticks() + HartTimers.FREQUENCY * 3600);
        timers.pause();
        long still = timers.ticks();
        assertTrue(clock.getQueue().isEmpty(), "no host timer runs for a stopped timebase");
        Thread.sleep(20);
        assertEquals(still, timers.ticks());
        timers.arm(0, Interrupt.MACHINE_TIMER, still + HartTimers.FREQUENCY * 3600);
        assertTrue(clock.getQueue().isEmpty());
        timers.arm(0, Interrupt.MACHINE_TIMER, still);
        assertEquals(new Change(0, Interrupt.MACHINE_TIMER, true), changes.getLast(), "a deadline reached is due");
        timers.resume();
        assertEquals(1, clock.getQueue().size());
        long after = timers.ticks();
        assertTrue(after >= still, after + " runs on from " + still);
    }

    /** A timer that ran out just as the guest moved its deadline, and waited for the lock, raises nothing. */
    @Test
    void aTimerThatRanOutAsItsDeadlineMovedLeavesTheNewDeadline() throws InterruptedException {
        synchronized (timers) {
            long ahead = HartTimers.FREQUENCY / 1000;
            timers.arm(0, Interrupt.SUPERVISOR_TIMER, timers.ticks() + ahead);
            while (changes.getLast().pending()) {
                // this thread was held up past the deadline before arming it: a later one gets its host timer
                ahead *= 2;
                timers.arm(0, Interrupt.SUPERVISOR_TIMER, timers.ticks() + ahead);
            }
            while (!clock.getQueue().isEmpty() || clock.getActiveCount() == 0) {
                Thread.sleep(1);
            }
            timers.arm(0, Interrupt.SUPERVISOR_TIMER, timers.ticks() + HartTimers.FREQUENCY * 3600);
        }
        while (clock.getCompletedTaskCount() == 0) {
            Thread.sleep(1);
        }
        assertEquals(new Change(0, Interrupt.SUPERVISOR_TIMER, false), changes.getLast());
        assertEquals(1, timers.save().timers().size());
    }
}
