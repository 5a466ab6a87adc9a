package io.pogo.virtio;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs a device's deferred work later: a request held back by a rate limit is served when its tokens have come
 * in. The timer thread exists only once something was deferred, and ends with the device.
 *
 * @since 1.4
 */
public final class RetryTimer implements AutoCloseable {

    private final String name;
    private ScheduledExecutorService timer;
    private boolean closed;

    /** @param name the timer thread's name */
    public RetryTimer(String name) {
        this.name = name;
    }

    /** Runs {@code work} once, {@code nanos} from now; nothing once the timer is closed. */
    public synchronized void after(long nanos, Runnable work) {
        if (closed) {
            return;
        }
        if (timer == null) {
            timer = Executors.newSingleThreadScheduledExecutor(task -> Thread.ofPlatform().daemon().name(name)
                    .unstarted(task));
        }
        timer.schedule(work, nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
