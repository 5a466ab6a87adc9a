package io.pogo.blk;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Run as a process of its own: exits 0 when it could lock the image named for writing, 1 when another holds it. */
public final class LockProbe {

    private LockProbe() {
    }

    public static void main(String[] args) throws IOException {
        try (FileChannel channel = FileChannel.open(Path.of(args[0]), StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            FileLock lock = channel.tryLock();
            System.exit(lock == null ? 1 : 0);
        }
    }
}
