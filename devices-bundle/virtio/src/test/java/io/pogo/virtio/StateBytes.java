package io.pogo.virtio;

import io.pogo.api.state.StateInput;
import io.pogo.api.state.StateOutput;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** A state record in memory, for tests that save a device and restore another from it. */
public final class StateBytes implements StateOutput {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final DataOutputStream out = new DataOutputStream(bytes);

    @Override
    public void writeBoolean(boolean value) {
        io(() -> out.writeBoolean(value));
    }

    @Override
    public void writeInt(int value) {
        io(() -> out.writeInt(value));
    }

    @Override
    public void writeLong(long value) {
        io(() -> out.writeLong(value));
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
        io(() -> out.write(values));
    }

    @Override
    public void writeString(String value) {
        writeBytes(value.getBytes(StandardCharsets.UTF_8));
    }

    /** What was written, to read back in order. */
    public StateInput reader() {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()));
        return new StateInput() {
            public boolean readBoolean() {
                return read(in::readBoolean);
            }

            public int readInt() {
                return read(in::readInt);
            }

            public long readLong() {
                return read(in::readLong);
            }

            public long[] readLongs() {
                long[] values = new long[readInt()];
                for (int i = 0; i < values.length; i++) {
                    values[i] = readLong();
                }
                return values;
            }

            public byte[] readBytes() {
                return read(() -> in.readNBytes(in.readInt()));
            }

            public String readString() {
                return new String(readBytes(), StandardCharsets.UTF_8);
            }

            public boolean atEnd() {
                return read(in::available) == 0;
            }
        };
    }

    private interface Write {
        void run() throws IOException;
    }

    private interface Read<T> {
        T run() throws IOException;
    }

    private static void io(Write write) {
        try {
            write.run();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static <T> T read(Read<T> read) {
        try {
            return read.run();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
