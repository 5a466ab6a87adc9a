package io.pogo.api.dispatch;

/** Where a hart stands in its lifecycle, numbered as SBI HSM's hart_get_status reports it. */
public enum HartStatus {
    STARTED,
    STOPPED,
    START_PENDING,
    STOP_PENDING
}
