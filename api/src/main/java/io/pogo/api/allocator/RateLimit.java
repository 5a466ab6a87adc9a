package io.pogo.api.allocator;

/**
 * A pair of token buckets as Firecracker's rate limiter has them: one of bytes, one of operations. Each refills
 * at its rate per second up to its size plus a one-time burst; a rate of 0 leaves that bucket unlimited.
 *
 * @param bytesPerSecond the byte bucket's rate (and size); 0 means unlimited
 * @param bytesBurst     extra bytes the bucket starts with, spent once and not refilled
 * @param opsPerSecond   the operation bucket's rate (and size); 0 means unlimited
 * @param opsBurst       extra operations the bucket starts with, spent once and not refilled
 * @since 1.3
 */
public record RateLimit(long bytesPerSecond, long bytesBurst, long opsPerSecond, long opsBurst) {

    public static final RateLimit UNLIMITED = new RateLimit(0, 0, 0, 0);
}
