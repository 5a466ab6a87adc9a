package io.pogo.api.device;

/** A range of guest-physical addresses owned by one device. */
public record MmioWindow(long base, long size) {
}
