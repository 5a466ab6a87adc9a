package io.pogo.platform;

import static io.pogo.platform.DtCells.cells;
import static io.pogo.platform.DtCells.reg;
import static io.pogo.platform.DtCells.strings;

import io.pogo.api.device.Device;
import io.pogo.api.device.DeviceTree;
import io.pogo.api.device.DtNode;
import io.pogo.api.device.InterruptLine;
import io.pogo.api.device.MmioWindow;
import io.pogo.api.state.StateInput;
import io.pogo.api.state.StateOutput;
import io.pogo.api.state.Stateful;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Google's goldfish RTC as QEMU models it: nanoseconds since the epoch, from the host's wall clock plus whatever
 * offset the guest set; reading TIME_LOW latches TIME_HIGH. One alarm: writing ALARM_LOW arms it (ALARM_HIGH
 * first), and when the time reaches it the interrupt becomes pending; the line is asserted while an interrupt is
 * pending and IRQ_ENABLED is set, until the guest writes CLEAR_INTERRUPT.
 */
final class GoldfishRtc implements Device, Stateful {

    private static final int TIME_LOW = 0x00;
    private static final int TIME_HIGH = 0x04;
    private static final int ALARM_LOW = 0x08;
    private static final int ALARM_HIGH = 0x0c;
    private static final int IRQ_ENABLED = 0x10;
    private static final int CLEAR_ALARM = 0x14;
    private static final int ALARM_STATUS = 0x18;
    private static final int CLEAR_INTERRUPT = 0x1c;

    private final InterruptLine irq;
    private final MmioWindow window;
    private final LongSupplier hostNanos;
    private final ScheduledExecutorService timers;
    private long offset;
    private long timeHighLatch;
    private long alarm;
    private ScheduledFuture<?> alarmTimer;
    private boolean irqEnabled;
    private boolean irqPending;
    private boolean closed;
    /** An alarm whose timer a snapshot holds back, to be armed again after it. */
    private boolean alarmHeld;

    /**
     * @param hostNanos the host's wall clock in nanoseconds since the epoch
     * @param timers    fires alarms
     */
    GoldfishRtc(InterruptLine irq, MmioWindow window, LongSupplier hostNanos, ScheduledExecutorService timers) {
        this.irq = irq;
        this.window = window;
        this.hostNanos = hostNanos;
        this.timers = timers;
    }

    @Override
    public void describe(DeviceTree tree) {
        tree.addDevice(new DtNode("rtc@" + Long.toHexString(window.base()), List.of(
                cells("interrupts", irq.number()),
                cells("interrupt-parent", tree.interruptParent()),
                reg(window),
                strings("compatible", "google,goldfish-rtc")), List.of()));
    }

    @Override
    public synchronized long read(long offset, int size) {
        return switch ((int) offset) {
            case TIME_LOW -> {
                long now = now();
                timeHighLatch = now >>> 32;
                yield now & 0xffff_ffffL;
            }
            case TIME_HIGH -> timeHighLatch;
            case ALARM_LOW -> alarm & 0xffff_ffffL;
            case ALARM_HIGH -> alarm >>> 32;
            case IRQ_ENABLED -> irqEnabled ? 1 : 0;
            case ALARM_STATUS -> alarmTimer != null ? 1 : 0;
            default -> 0;
        };
    }

    @Override
    public synchronized void write(long offset, int size, long value) {
        long word = value & 0xffff_ffffL;
        switch ((int) offset) {
            case TIME_LOW -> setTime(now() & ~0xffff_ffffL | word);
            case TIME_HIGH -> setTime(now() & 0xffff_ffffL | word << 32);
            case ALARM_LOW -> {
                alarm = alarm & ~0xffff_ffffL | word;
                armAlarm();
            }
            case ALARM_HIGH -> alarm = alarm & 0xffff_ffffL | word << 32;
            case IRQ_ENABLED -> irqEnabled = (value & 1) != 0;
            case CLEAR_ALARM -> cancelAlarm();
            case CLEAR_INTERRUPT -> irqPending = false;
            default -> { }
        }
        updateLine();
    }

    @Override
    public synchronized void close() {
        closed = true;
        cancelAlarm();
    }

    @Override
    public String stateType() {
        return "goldfish-rtc";
    }

    @Override
    public int stateVersion() {
        return 1;
    }

    /** The alarm's timer fires on a host thread: it waits while a snapshot is taken. */
    @Override
    public synchronized void quiesce() {
        alarmHeld = alarmTimer != null;
        cancelAlarm();
    }

    @Override
    public synchronized void unquiesce() {
        if (alarmHeld) {
            alarmHeld = false;
            armAlarm();
            updateLine();
        }
    }

    /**
     * The guest's offset from the host's wall clock, as QEMU keeps it: a restored guest's clock goes on from the
     * host's time then, plus whatever the guest had set. The alarm is kept as the time it goes off at.
     */
    @Override
    public synchronized void save(StateOutput out) {
        out.writeLong(offset);
        out.writeLong(timeHighLatch);
        out.writeLong(alarm);
        out.writeBoolean(alarmTimer != null || alarmHeld);
        out.writeBoolean(irqEnabled);
        out.writeBoolean(irqPending);
    }

    @Override
    public synchronized void restore(StateInput in, int version) {
        offset = in.readLong();
        timeHighLatch = in.readLong();
        alarm = in.readLong();
        boolean armed = in.readBoolean();
        irqEnabled = in.readBoolean();
        irqPending = in.readBoolean();
        if (armed) {
            armAlarm();
        } else {
            cancelAlarm();
        }
        updateLine();
    }

    private long now() {
        return hostNanos.getAsLong() + offset;
    }

    private void setTime(long nanos) {
        offset += nanos - now();
    }

    private void armAlarm() {
        cancelAlarm();
        long remaining = alarm - now();
        if (remaining <= 0) {
            irqPending = true;
        } else if (!closed) {
            alarmTimer = timers.schedule(this::alarmFired, remaining, TimeUnit.NANOSECONDS);
        }
    }

    private synchronized void alarmFired() {
        if (alarmTimer == null) {
            return;
        }
        long remaining = alarm - now();
        if (remaining > 0) {
            alarmTimer = timers.schedule(this::alarmFired, remaining, TimeUnit.NANOSECONDS);
            return;
        }
        alarmTimer = null;
        irqPending = true;
        updateLine();
    }

    private void cancelAlarm() {
        if (alarmTimer != null) {
            alarmTimer.cancel(false);
            alarmTimer = null;
        }
    }

    private void updateLine() {
        irq.setLevel(irqPending && irqEnabled);
    }
}
