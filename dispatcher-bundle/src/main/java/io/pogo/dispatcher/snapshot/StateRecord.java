package io.pogo.dispatcher.snapshot;

import io.pogo.api.state.Stateful;

/** One part's saved state: the layout it was written in, and the bytes. */
public record StateRecord(String type, int version, byte[] data) {

    public static StateRecord of(Stateful part) {
        RecordOutput out = new RecordOutput();
        part.save(out);
        return new StateRecord(part.stateType(), part.stateVersion(), out.toByteArray());
    }

    /**
     * Gives the record back to {@code part}, which must be of the type that wrote it and read all of it.
     *
     * @param what names the part in messages, for example "hart 0" or "device ns16550a"
     */
    public void restoreInto(Stateful part, String what) {
        if (!part.stateType().equals(type)) {
            throw new IllegalArgumentException("the snapshot holds " + type + " state for " + what + ", which is "
                    + part.stateType() + " here");
        }
        if (!part.readsVersion(version)) {
            throw new IllegalArgumentException("the snapshot holds version " + version + " of the " + type
                    + " state of " + what + ", which this Pogo does not read (it writes version "
                    + part.stateVersion() + ")");
        }
        RecordInput in = new RecordInput(type, data);
        part.restore(in, version);
        if (!in.atEnd()) {
            throw new IllegalArgumentException("the snapshot's " + type + " state of " + what
                    + " is longer than its version " + version + " layout");
        }
    }
}
