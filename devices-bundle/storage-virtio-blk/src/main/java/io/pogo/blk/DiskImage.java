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
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A raw disk image, open for one VM, and locked while it {@link #acquire acquired} it: exclusively when writable,
 * shared when read-only, so no two writers (VMs in this process or any other process) ever share an image.
 *
 * <p>A process has at most one channel open on an image: the host's file locks belong to the process, and closing
 * any channel of a file drops every lock the process holds on it. So a second VM of this process that names the
 * image is refused from the list of open images, without a channel of its own.
 */
final class DiskImage implements AutoCloseable {

    /** The images open in this process, by file identity (device and inode, so links and other spellings match). */
    private static final Set<Object> OPEN = ConcurrentHashMap.newKeySet();

    private final Path path;
    private final Object identity;
    private final FileChannel channel;
    private final boolean readOnly;
    private final long size;
    private FileLock lock;

    private DiskImage(Path path, Object identity, FileChannel channel, boolean readOnly, long size) {
        this.path = path;
        this.identity = identity;
        this.channel = channel;
        this.readOnly = readOnly;
        this.size = size;
    }

    /**
     * Opens the image without locking it.
     *
     * @throws IllegalArgumentException with a one-line message when the image cannot be used
     */
    static DiskImage open(Path path, boolean readOnly) {
        Object identity = identity(path);
        if (!OPEN.add(identity)) {
            throw inUse(path);
        }
        try {
            return open(path, identity, readOnly);
        } catch (RuntimeException e) {
            OPEN.remove(identity);
            throw e;
        }
    }

    private static DiskImage open(Path path, Object identity, boolean readOnly) {
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
            throw cannotOpen(path, e);
        }
        try {
            return new DiskImage(path, identity, channel, readOnly, channel.size());
        } catch (IOException e) {
            close(channel);
            throw cannotOpen(path, e);
        }
    }

    private static Object identity(Path path) {
        if (!Files.isRegularFile(path)) {
            throw new IllegalArgumentException("--drive file=" + path + ": "
                    + (Files.exists(path) ? "not a regular file" : "no such file"));
        }
        try {
            Object key = Files.readAttributes(path, BasicFileAttributes.class).fileKey();
            return key != null ? key : path.toRealPath();
        } catch (IOException e) {
            throw cannotOpen(path, e);
        }
    }

    private static IllegalArgumentException cannotOpen(Path path, IOException e) {
        return new IllegalArgumentException("--drive file=" + path + ": cannot open (" + e.getMessage() + ")");
    }

    private static IllegalArgumentException inUse(Path path) {
        return new IllegalArgumentException("--drive file=" + path + ": the image is in use by another VM or process");
    }

    /**
     * Locks the image; nothing happens when it is locked already.
     *
     * @throws IllegalArgumentException with a one-line message when another process holds a lock that excludes ours
     */
    synchronized void acquire() {
        if (lock != null) {
            return;
        }
        try {
            lock = channel.tryLock(0, Long.MAX_VALUE, readOnly);
        } catch (OverlappingFileLockException heldInThisProcess) {
            lock = null;
        } catch (IOException e) {
            throw new IllegalArgumentException("--drive file=" + path + ": cannot lock (" + e.getMessage() + ")");
        }
        if (lock == null) {
            throw inUse(path);
        }
    }

    /**
     * Writes everything out to stable storage, then unlocks the image; nothing happens when it is not locked.
     *
     * @throws IllegalStateException with a one-line message when the flush fails; the image stays locked
     */
    synchronized void release() {
        if (lock == null) {
            return;
        }
        try {
            flush();
        } catch (IOException e) {
            throw new IllegalStateException("flushing disk " + path + " failed (" + e.getMessage() + ")");
        }
        try {
            lock.release();
        } catch (IOException unlockFailed) {
            // the host dropped it already: a lock that cannot be released is not held
        }
        lock = null;
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

    /** Unlocks and closes the image; the process may open it again. */
    @Override
    public synchronized void close() {
        if (lock != null) {
            try {
                lock.release();
            } catch (IOException ignored) {
                // closing the channel releases the lock as well
            }
            lock = null;
        }
        close(channel);
        OPEN.remove(identity);
    }

    private static void close(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing more can be done for a channel that fails to close
        }
    }
}
