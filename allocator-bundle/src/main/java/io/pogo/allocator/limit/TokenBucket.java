package io.pogo.allocator.limit;

/**
 * A token bucket as Firecracker's rate limiter has one: it holds up to {@code rate} tokens (one second's worth),
 * starts full, refills continuously at {@code rate} per second, and has a one-time burst spent before the
 * bucket. An operation larger than the bucket is let through when the bucket is full and leaves it in debt, so
 * the average rate holds for operations of any size. Not thread-safe: {@link LimitedGate} guards it.
 */
final class TokenBucket {

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final long rate;
    private long burst;
    private double tokens;
    private long refilledAt;

    /** @param rate tokens per second, and the bucket's size; positive */
    TokenBucket(long rate, long burst, long now) {
        this.rate = rate;
        this.burst = burst;
        this.tokens = rate;
        this.refilledAt = now;
    }

    /** Nanoseconds until {@code wanted} tokens can be taken; 0 when they can be now. */
    long wait(long wanted, long now) {
        refill(now);
        double missing = Math.min(wanted, rate) - burst - tokens;
        return missing <= 0 ? 0 : (long) Math.ceil(missing * NANOS_PER_SECOND / rate);
    }

    /** Takes {@code wanted} tokens, the burst first; the caller has seen {@link #wait} return 0. */
    void take(long wanted) {
        long fromBurst = Math.min(burst, wanted);
        burst -= fromBurst;
        tokens -= wanted - fromBurst;
    }

    private void refill(long now) {
        long elapsed = now - refilledAt;
        if (elapsed > 0) {
            tokens = Math.min(rate, tokens + (double) elapsed * rate / NANOS_PER_SECOND);
            refilledAt = now;
        }
    }
}
