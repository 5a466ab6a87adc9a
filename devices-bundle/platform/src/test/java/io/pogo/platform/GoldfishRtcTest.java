package io.pogo.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pogo.api.device.InterruptLine;
import io.pogo.api.device.MmioWindow;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GoldfishRtcTest {

    private final ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(1);

    {
        timers.setRemoveOnCancelPolicy(true);
    }
    private final CountDownLatch raised = new CountDownLatch(1);
    private volatile boolean level;
    private long hostNanos = 1_700_000_000_123_456_789L;
    private final GoldfishRtc rtc = new GoldfishRtc(new InterruptLine() {
        @Override
        public int number() {
            return 11;
        }

        @Override
        public void setLevel(boolean asserted) {
            level = asserted;
            if (asserted) {
                raised.countDown();
            }
        }
    }, new MmioWindow(0x101000, 0x1000), () -> hostNanos, timers);

    @AfterEach
    void stopTimers() {
        timers.shutdownNow();
    }

    private long time() {
        long low = rtc.read(0x00, 4);
        return rtc.read(0x04, 4) << 32 | low;
    }

    @Test
    void timeIsTheHostWallClockLatchedByTheLowWord() {
        assertEquals(hostNanos, time());
        long low = rtc.read(0x00, 4);
        hostNanos += 1L << 32;
        assertEquals((1_700_000_000_123_456_789L >>> 32) << 32 | low, rtc.read(0x04, 4) << 32 | low);
    }

    @Test
    void guestSetsTheTimeHighWordFirstAsLinuxDoes() {
        long wanted = 0x0123_4567_89ab_cdefL;
        rtc.write(0x04, 4, wanted >>> 32);
        rtc.write(0x00, 4, wanted & 0xffff_ffffL);
        assertEquals(wanted, time());
        hostNanos += 1000;
        assertEquals(wanted + 1000, time());
    }

    @Test
    void alarmInThePastInterruptsAtOnceWhileEnabledUntilCleared() {
        long when = hostNanos - 5;
        rtc.write(0x0c, 4, when >>> 32);
        rtc.write(0x08, 4, when & 0xffff_ffffL);
        assertFalse(level, "interrupts not enabled yet");
        rtc.write(0x10, 4, 1);
        assertTrue(level);
        assertEquals(0, rtc.read(0x18, 4), "the alarm is no longer running");
        assertEquals(when, rtc.read(0x0c, 4) << 32 | rtc.read(0x08, 4));
        rtc.write(0x1c, 4, 1);
        assertFalse(level);
    }

    @Test
    void alarmInTheFutureRunsThenFires() throws InterruptedException {
        rtc.write(0x10, 4, 1);
        long when = hostNanos;
        hostNanos -= 1_000_000;
        rtc.write(0x0c, 4, when >>> 32);
        rtc.write(0x08, 4, when & 0xffff_ffffL);
        assertEquals(1, rtc.read(0x18, 4));
        assertFalse(level);
        hostNanos = when;
        assertTrue(raised.await(30, TimeUnit.SECONDS));
        assertEquals(0, rtc.read(0x18, 4));
    }

    @Test
    void clearedAlarmNeverFires() {
        rtc.write(0x10, 4, 1);
        long when = hostNanos + 1_000_000_000_000L;
        rtc.write(0x0c, 4, when >>> 32);
        rtc.write(0x08, 4, when & 0xffff_ffffL);
        rtc.write(0x14, 4, 1);
        assertEquals(0, rtc.read(0x18, 4));
        assertEquals(0, timers.getQueue().size());
        assertFalse(level);
    }
}
