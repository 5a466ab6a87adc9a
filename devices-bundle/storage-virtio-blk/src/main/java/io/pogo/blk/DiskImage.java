package io.pogo.blk;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A raw disk image, open and locked for one VM: exclusively when writable, shared when read-only, so no two
 * writers (VMs in this process or any other process) ever share an image.
 */
final class DiskImage implements AutoCloseable {

    private final Path path;
    private final FileChannel channel;
    private final FileLock lock;
    private final boolean readOnly;
    private final long size;

    private DiskImage(Path path, FileChannel channel, FileLock lock, boolean readOnly, long size) {
        this.path = path;
        this.channel = channel;
        this.lock = lock;
        this.readOnly = readOnly;
        this.size = size;
    }

    /** @throws IllegalArgumentException with a one-line message when the image cannot be used */
    static DiskImage open(Path path, boolean readOnly) {
        if (!Files.isRegularFile(path)) {
            throw new IllegalArgumentException("--drive file=" + path + ": "
                    + (Files.exists(path) ? "not a regular file" : "no such file"));
        }
        FileChannel channel;
        try {
            channel = readOnly ? FileChannel.open(path, StandardOpenOption.READ)
                    : FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (AccessDeniedException e) {
            throw new IllegalArgumentException("--drive file=" + path + ": permission denied"
                    + (readOnly ? "" : " (readonly=on opens it for reading only)"));
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("--drive file=" + path + ": no such file");
        } catch (IOException e) {
            throw new IllegalArgumentException("--drive file=" + path + ": cannot open (" + e.getMessage() + ")");
        }
        try {
            FileLock lock = lock(channel, readOnly);
            if (lock == null) {
                throw new IllegalArgumentException("--drive file=" + path + ": the image is in use by another VM"
                        + " or process");
            }
            return new DiskImage(path, channel, lock, readOnly, channel.size());
        } catch (IOException e) {
            close(channel);
            throw new IllegalArgumentException("--drive file=" + path + ": cannot lock (" + e.getMessage() + ")");
        } catch (RuntimeException e) {
            close(channel);
            throw e;
        }
    }

    private static FileLock lock(FileChannel channel, boolean shared) throws IOException {
        try {
            return channel.tryLock(0, Long.MAX_VALUE, shared);
        } catch (OverlappingFileLockException heldInThisProcess) {
            return null;
        }
    }

    Path path() {
        return path;
    }

    boolean readOnly() {
        return readOnly;
    }

    long size() {
        return size;
    }

    void read(long position, byte[] destination, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(destination, 0, length);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, position + buffer.position()) < 0) {
                throw new IOException("read past the end of " + path);
            }
        }
    }

    void write(long position, byte[] source, int offset, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(source, offset, length);
        while (buffer.hasRemaining()) {
            channel.write(buffer, position + buffer.position() - offset);
        }
    }

    /** Returns once everything written so far is on stable storage, metadata included. */
    void flush() throws IOException {
        channel.force(true);
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException ignored) {
            // closing the channel releases the lock as well
        }
        close(channel);
    }

    private static void close(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing more can be done for a channel that fails to close
        }
    }
}
