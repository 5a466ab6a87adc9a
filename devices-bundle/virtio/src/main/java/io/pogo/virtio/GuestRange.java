package io.pogo.virtio;

/**
 * One buffer of a descriptor chain as a range of guest RAM; it lies inside RAM.
 *
 * @since 1.4
 */
public record GuestRange(long address, int length) {
}
