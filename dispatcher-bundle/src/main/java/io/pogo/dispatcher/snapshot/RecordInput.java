package io.pogo.dispatcher.snapshot;

import io.pogo.api.state.StateInput;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/** A state record as {@link RecordOutput} wrote it; reading past its end is the snapshot's fault, told in words. */
public final class RecordInput implements StateInput {

    private final String type;
    private final ByteBuffer data;

    public RecordInput(String type, byte[] record) {
        this.type = type;
        this.data = ByteBuffer.wrap(record);
    }

    @Override
    public boolean readBoolean() {
        return read(() -> data.get() != 0);
    }

    @Override
    public int readInt() {
        return read(data::getInt);
    }

    @Override
    public long readLong() {
        return read(data::getLong);
    }

    @Override
    public long[] readLongs() {
        int length = length(8);
        long[] values = new long[length];
        for (int i = 0; i < length; i++) {
            values[i] = data.getLong();
        }
        return values;
    }

    @Override
    public byte[] readBytes() {
        byte[] values = new byte[length(1)];
        data.get(values);
        return values;
    }

    @Override
    public String readString() {
        return new String(readBytes(), StandardCharsets.UTF_8);
    }

    @Override
    public boolean atEnd() {
        return !data.hasRemaining();
    }

    private int length(int elementSize) {
        int length = readInt();
        if (length < 0 || (long) length * elementSize > data.remaining()) {
            throw endsEarly();
        }
        return length;
    }

    private <T> T read(Supplier<T> value) {
        try {
            return value.get();
        } catch (BufferUnderflowException e) {
            throw endsEarly();
        }
    }

    private IllegalArgumentException endsEarly() {
        return new IllegalArgumentException("the snapshot's " + type + " state ends early");
    }
}
