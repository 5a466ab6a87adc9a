package io.pogo.api.allocator;

/**
 * A completed policy swap; {@code pauseNanos} is how long no vCPU could be dispatched (the guest-visible pause).
 */
public record PolicySwap(PolicyKind kind, String from, String to, long pauseNanos) {
}
