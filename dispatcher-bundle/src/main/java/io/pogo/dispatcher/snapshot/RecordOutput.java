package io.pogo.dispatcher.snapshot;

import io.pogo.api.state.StateOutput;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** A part's state record as it is built in memory, big-endian, arrays and strings prefixed with their length. */
public final class RecordOutput implements StateOutput {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final DataOutputStream data = new DataOutputStream(bytes);

    @Override
    public void writeBoolean(boolean value) {
        io(() -> data.writeBoolean(value));
    }

    @Override
    public void writeInt(int value) {
        io(() -> data.writeInt(value));
    }

    @Override
    public void writeLong(long value) {
        io(() -> data.writeLong(value));
    }

    @Override
    public void writeLongs(long[] values) {
        writeInt(values.length);
        for (long value : values) {
            writeLong(value);
        }
    }

    @Override
    public void writeBytes(byte[] values) {
        writeInt(values.length);
        io(() -> data.write(values));
    }

    @Override
    public void writeString(String value) {
        writeBytes(value.getBytes(StandardCharsets.UTF_8));
    }

    public byte[] toByteArray() {
        return bytes.toByteArray();
    }

    private interface Write {
        void run() throws IOException;
    }

    /** A stream in memory does not fail. */
    private static void io(Write write) {
        try {
            write.run();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
