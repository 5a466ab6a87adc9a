package io.pogo.dispatcher.snapshot;

import com.github.luben.zstd.Zstd;
import io.pogo.api.cpu.Interrupt;
import io.pogo.api.dispatch.HartStatus;
import io.pogo.api.memory.GuestMemory;
import io.pogo.api.vm.VmConfig;
import io.pogo.dispatcher.vm.TimebaseState;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Reads a snapshot file. {@link #open} checks the whole file before anything is built from it: its magic, its
 * format version, that it is complete and that its checksum matches; then it reads everything but RAM, which
 * {@link #readRamInto} streams into the new VM's memory. Every problem is an {@link IllegalArgumentException} with
 * one sentence that names the file.
 */
public final class SnapshotReader implements AutoCloseable {

    private final Path file;
    private final DataInputStream body;
    private final VmImage image;

    private SnapshotReader(Path file, DataInputStream body) throws IOException {
        this.file = file;
        this.body = body;
        this.image = readImage(body);
    }

    public static SnapshotReader open(Path file) {
        verify(file);
        DataInputStream body = null;
        try {
            InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 20);
            body = new DataInputStream(in);
            body.skipNBytes(SnapshotFormat.HEADER_BYTES);
            return new SnapshotReader(file, body);
        } catch (IOException | RuntimeException e) {
            closeQuietly(body);
            throw damaged(file, e);
        }
    }

    public VmImage image() {
        return image;
    }

    /**
     * Copies the snapshot's RAM into {@code memory}, which must be fresh (all zero), page by page, leaving out
     * pages that are all zero so that they stay unbacked; returns the bytes copied.
     */
    public long readRamInto(GuestMemory memory) {
        byte[] chunk = new byte[SnapshotFormat.CHUNK];
        byte[] compressed = new byte[(int) Zstd.compressBound(SnapshotFormat.CHUNK)];
        long restored = 0;
        try {
            for (long offset = body.readLong(); offset != SnapshotFormat.LAST_CHUNK; offset = body.readLong()) {
                int length = body.readInt();
                int size = body.readInt();
                if (length <= 0 || length > chunk.length || size <= 0 || size > compressed.length || offset < 0
                        || offset + length > memory.size()) {
                    throw new IOException("a chunk of RAM lies outside the VM's memory");
                }
                body.readFully(compressed, 0, size);
                long inflated = Zstd.decompressByteArray(chunk, 0, length, compressed, 0, size);
                if (Zstd.isError(inflated) || inflated != length) {
                    throw new IOException("a chunk of RAM does not decompress");
                }
                for (int page = 0; page < length; page += SnapshotFormat.PAGE) {
                    if (!SnapshotFormat.zeroPage(chunk, page, length)) {
                        int bytes = Math.min(SnapshotFormat.PAGE, length - page);
                        memory.write(memory.base() + offset + page, chunk, page, bytes);
                        restored += bytes;
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            throw damaged(file, e);
        }
        return restored;
    }

    @Override
    public void close() {
        closeQuietly(body);
    }

    /** Magic, version, completeness and checksum, in that order, each told in its own words. */
    private static void verify(Path file) {
        try (FileChannel channel = FileChannel.open(file)) {
            long size = channel.size();
            ByteBuffer header = ByteBuffer.allocate(SnapshotFormat.HEADER_BYTES);
            channel.read(header, 0);
            byte[] magic = Arrays.copyOf(header.array(), SnapshotFormat.MAGIC.length);
            int magicRead = (int) Math.min(size, SnapshotFormat.MAGIC.length);
            if (!Arrays.equals(magic, 0, magicRead, SnapshotFormat.MAGIC, 0, magicRead)) {
                throw problem(file, "is not a Pogo snapshot");
            }
            if (size < SnapshotFormat.HEADER_BYTES + SnapshotFormat.TRAILER_BYTES) {
                throw problem(file, "is truncated");
            }
            int version = header.getInt(SnapshotFormat.MAGIC.length);
            if (version > SnapshotFormat.VERSION || version < 1) {
                throw problem(file, "is a snapshot of format version " + Integer.toUnsignedString(version)
                        + ", which this Pogo cannot read (it reads version " + SnapshotFormat.VERSION + ")");
            }
            ByteBuffer trailer = ByteBuffer.allocate(SnapshotFormat.TRAILER_BYTES);
            channel.read(trailer, size - SnapshotFormat.TRAILER_BYTES);
            byte[] end = Arrays.copyOfRange(trailer.array(), 12, SnapshotFormat.TRAILER_BYTES);
            long bodyBytes = size - SnapshotFormat.HEADER_BYTES - SnapshotFormat.TRAILER_BYTES;
            if (!Arrays.equals(end, SnapshotFormat.END) || trailer.getLong(0) != bodyBytes) {
                throw problem(file, "is truncated: it does not end as a whole snapshot does");
            }
            if (checksum(channel, bodyBytes) != trailer.getInt(8)) {
                throw problem(file, "is corrupted: its checksum does not match its contents");
            }
        } catch (NoSuchFileException e) {
            throw problem(file, "does not exist");
        } catch (IOException e) {
            throw problem(file, "cannot be read (" + e.getMessage() + ")");
        }
    }

    private static int checksum(FileChannel channel, long bodyBytes) throws IOException {
        CRC32C crc = new CRC32C();
        ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);
        long position = SnapshotFormat.HEADER_BYTES;
        long end = position + bodyBytes;
        while (position < end) {
            buffer.clear().limit((int) Math.min(buffer.capacity(), end - position));
            int read = channel.read(buffer, position);
            if (read < 0) {
                throw new EOFException();
            }
            position += read;
            crc.update(buffer.flip());
        }
        return (int) crc.getValue();
    }

    static VmImage readImage(DataInputStream in) throws IOException {
        VmConfig config = ConfigCodec.read(in);
        long ticks = in.readLong();
        List<TimebaseState.ArmedTimer> timers = new ArrayList<>();
        for (int count = count(in); count > 0; count--) {
            timers.add(new TimebaseState.ArmedTimer(in.readInt(), Interrupt.valueOf(in.readUTF()), in.readLong()));
        }
        List<VmImage.HartImage> harts = new ArrayList<>();
        for (int count = count(in); count > 0; count--) {
            harts.add(new VmImage.HartImage(HartStatus.valueOf(in.readUTF()), readRecord(in)));
        }
        List<VmImage.DeviceImage> devices = new ArrayList<>();
        for (int count = count(in); count > 0; count--) {
            devices.add(new VmImage.DeviceImage(in.readUTF(), in.readLong(), readRecord(in)));
        }
        return new VmImage(config, new TimebaseState(ticks, timers), harts, devices);
    }

    private static StateRecord readRecord(DataInputStream in) throws IOException {
        String type = in.readUTF();
        int version = in.readInt();
        int length = count(in);
        return new StateRecord(type, version, in.readNBytes(length));
    }

    private static int count(DataInputStream in) throws IOException {
        int count = in.readInt();
        if (count < 0 || count > 1 << 26) {
            throw new IOException("a count is out of range");
        }
        return count;
    }

    private static IllegalArgumentException damaged(Path file, Exception cause) {
        if (cause instanceof IllegalArgumentException told && told.getMessage().startsWith("snapshot ")) {
            return told;
        }
        return problem(file, "is damaged: its contents do not read as a snapshot");
    }

    private static IllegalArgumentException problem(Path file, String what) {
        return new IllegalArgumentException("snapshot " + file + " " + what);
    }

    private static void closeQuietly(InputStream in) {
        if (in != null) {
            try {
                in.close();
            } catch (IOException ignored) {
                // nothing was written through it
            }
        }
    }
}
