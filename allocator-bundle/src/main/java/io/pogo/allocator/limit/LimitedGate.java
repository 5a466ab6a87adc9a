package io.pogo.allocator.limit;

import io.pogo.api.allocator.RateGate;
import io.pogo.api.allocator.RateLimit;
import java.util.function.LongSupplier;

/**
 * One VM's gate for one kind of I/O: a byte bucket and an operation bucket, either absent when its rate is 0. An
 * operation passes only when both buckets have its tokens; a new limit starts with full buckets.
 */
final class LimitedGate implements RateGate {

    private final LongSupplier clock;
    private RateLimit limit = RateLimit.UNLIMITED;
    private TokenBucket bytes;
    private TokenBucket ops;

    LimitedGate(LongSupplier clock) {
        this.clock = clock;
    }

    synchronized void set(RateLimit next) {
        long now = clock.getAsLong();
        limit = next;
        bytes = next.bytesPerSecond() > 0 ? new TokenBucket(next.bytesPerSecond(), next.bytesBurst(), now) : null;
        ops = next.opsPerSecond() > 0 ? new TokenBucket(next.opsPerSecond(), next.opsBurst(), now) : null;
    }

    synchronized RateLimit limit() {
        return limit;
    }

    @Override
    public synchronized long take(long byteCount) {
        long now = clock.getAsLong();
        long wait = Math.max(bytes == null ? 0 : bytes.wait(byteCount, now), ops == null ? 0 : ops.wait(1, now));
        if (wait > 0) {
            return wait;
        }
        if (bytes != null) {
            bytes.take(byteCount);
        }
        if (ops != null) {
            ops.take(1);
        }
        return 0;
    }
}
