package io.pogo.dispatcher.snapshot;

import com.github.luben.zstd.Zstd;
import io.pogo.api.memory.GuestMemory;
import io.pogo.dispatcher.vm.TimebaseState;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.BitSet;
import java.util.zip.CRC32C;
import java.util.zip.CheckedOutputStream;

/**
 * Writes a snapshot file in {@link SnapshotFormat}'s layout. The file appears whole or not at all: it is written
 * under a temporary name next to its place and moved there once complete.
 */
public final class SnapshotWriter {

    /** What was written: the file's size and the guest RAM it holds (pages that are not all zero). */
    public record Written(long fileBytes, long ramBytes) {
    }

    private SnapshotWriter() {
    }

    /**
     * @param backed the 4 KiB pages of RAM that host memory backs: only those are read, so that taking a snapshot
     *               does not make the host back the rest
     * @throws IOException when the file cannot be written; nothing is left behind then
     */
    public static Written write(Path file, VmImage image, GuestMemory memory, BitSet backed) throws IOException {
        Path partial = file.resolveSibling(file.getFileName() + ".partial");
        try {
            long ramBytes;
            try (OutputStream raw = new BufferedOutputStream(Files.newOutputStream(partial), 1 << 20)) {
                raw.write(SnapshotFormat.MAGIC);
                new DataOutputStream(raw).writeInt(SnapshotFormat.VERSION);
                CRC32C crc = new CRC32C();
                Counting counted = new Counting(raw);
                DataOutputStream body = new DataOutputStream(new CheckedOutputStream(counted, crc));
                writeImage(body, image);
                ramBytes = writeRam(body, memory, backed);
                body.flush();
                DataOutputStream trailer = new DataOutputStream(raw);
                trailer.writeLong(counted.count);
                trailer.writeInt((int) crc.getValue());
                trailer.write(SnapshotFormat.END);
                trailer.flush();
            }
            Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return new Written(Files.size(file), ramBytes);
        } finally {
            Files.deleteIfExists(partial);
        }
    }

    static void writeImage(DataOutputStream out, VmImage image) throws IOException {
        ConfigCodec.write(out, image.config());
        TimebaseState timebase = image.timebase();
        out.writeLong(timebase.ticks());
        out.writeInt(timebase.timers().size());
        for (TimebaseState.ArmedTimer timer : timebase.timers()) {
            out.writeInt(timer.hartId());
            out.writeUTF(timer.interrupt().name());
            out.writeLong(timer.deadline());
        }
        out.writeInt(image.harts().size());
        for (VmImage.HartImage hart : image.harts()) {
            out.writeUTF(hart.status().name());
            writeRecord(out, hart.state());
        }
        out.writeInt(image.devices().size());
        for (VmImage.DeviceImage device : image.devices()) {
            out.writeUTF(device.type());
            out.writeLong(device.base());
            writeRecord(out, device.state());
        }
    }

    private static void writeRecord(DataOutputStream out, StateRecord record) throws IOException {
        out.writeUTF(record.type());
        out.writeInt(record.version());
        out.writeInt(record.data().length);
        out.write(record.data());
    }

    /**
     * Every chunk with a backed page that is not all zero, compressed, its unbacked pages as zeros; returns the
     * bytes of the pages that are not all zero.
     */
    private static long writeRam(DataOutputStream out, GuestMemory memory, BitSet backed) throws IOException {
        MemorySegment ram = memory.segment();
        byte[] chunk = new byte[SnapshotFormat.CHUNK];
        MemorySegment chunkSegment = MemorySegment.ofArray(chunk);
        byte[] compressed = new byte[(int) Zstd.compressBound(SnapshotFormat.CHUNK)];
        long written = 0;
        for (long offset = 0; offset < ram.byteSize(); offset += SnapshotFormat.CHUNK) {
            int length = (int) Math.min(SnapshotFormat.CHUNK, ram.byteSize() - offset);
            int firstPage = (int) (offset / SnapshotFormat.PAGE);
            int endPage = (int) Math.ceilDiv(offset + length, SnapshotFormat.PAGE);
            int next = backed.nextSetBit(firstPage);
            if (next < 0 || next >= endPage) {
                continue;
            }
            Arrays.fill(chunk, (byte) 0);
            for (int page = next; page >= 0 && page < endPage; page = backed.nextSetBit(page + 1)) {
                long at = (long) page * SnapshotFormat.PAGE;
                long bytes = Math.min(SnapshotFormat.PAGE, ram.byteSize() - at);
                MemorySegment.copy(ram, at, chunkSegment, at - offset, bytes);
            }
            long nonZero = SnapshotFormat.nonZeroPageBytes(chunk, length);
            if (nonZero == 0) {
                continue;
            }
            long size = Zstd.compressByteArray(compressed, 0, compressed.length, chunk, 0, length,
                    SnapshotFormat.COMPRESSION_LEVEL);
            if (Zstd.isError(size)) {
                throw new IOException("compressing guest RAM failed: " + Zstd.getErrorName(size));
            }
            out.writeLong(offset);
            out.writeInt(length);
            out.writeInt((int) size);
            out.write(compressed, 0, (int) size);
            written += nonZero;
        }
        out.writeLong(SnapshotFormat.LAST_CHUNK);
        return written;
    }

    /** Counts the body's bytes for the trailer (a body may pass 2 GiB, which DataOutputStream cannot count). */
    private static final class Counting extends FilterOutputStream {
        long count;

        Counting(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            out.write(bytes, offset, length);
            count += length;
        }
    }
}
