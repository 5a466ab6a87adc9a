package io.pogo.api.state;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Something of a VM whose state can be saved and restored: a vCPU or a device. The monitor calls these methods
 * only while every vCPU of the VM is parked at an instruction boundary, so no guest access races with them.
 *
 * <p>The record a part writes is its own business: the monitor stores it with {@link #stateType()} and
 * {@link #stateVersion()} and hands it back unread, to a part of the same type, on restore.
 */
@ConsumerType
public interface Stateful {

    /** Names the layout of the record, for example {@code ns16550a}; a restore refuses a record of another type. */
    String stateType();

    /** The version of the layout {@link #save} writes; raise it whenever the layout changes. */
    int stateVersion();

    /**
     * Whether {@link #restore} reads records of layout {@code version}; the monitor refuses the others with one
     * sentence before calling it. By default only the version {@link #save} writes.
     */
    default boolean readsVersion(int version) {
        return version == stateVersion();
    }

    /**
     * Stops the part's own background work (threads that receive packets, requests still in flight) so that
     * neither guest RAM nor the part's state changes until {@link #unquiesce}; a disk is flushed to its file.
     * Called before {@link #save} and before guest RAM is read.
     */
    default void quiesce() {
    }

    /** Lets the background work stopped by {@link #quiesce} go on; the VM runs on. */
    default void unquiesce() {
    }

    /** Writes the part's state; guest RAM is saved separately and need not be written here. */
    void save(StateOutput out);

    /**
     * Replaces the part's state with a record {@link #save} wrote, of layout {@code version}, on a part freshly built
     * with the same configuration; guest RAM is already restored. Interrupt lines and timers are set again as the
     * state says.
     *
     * @param version one that {@link #readsVersion} accepts
     * @throws IllegalArgumentException with one sentence when the record cannot be used: a backend that no longer
     *                                  matches (a disk that changed size), values out of range
     */
    void restore(StateInput in, int version);
}
