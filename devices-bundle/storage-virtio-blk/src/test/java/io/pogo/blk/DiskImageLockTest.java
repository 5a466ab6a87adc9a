package io.pogo.blk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who may write an image, as another process sees it ({@link LockProbe}): nobody is kept out by an image that is
 * only open, or released; everybody by one acquired, also after this process was refused a second opening of it.
 */
class DiskImageLockTest {

    @TempDir
    Path dir;

    @Test
    void theLockIsHeldExactlyWhileTheImageIsAcquired() throws Exception {
        Path file = Files.write(dir.resolve("disk.img"), new byte[4096]);
        DiskImage image = DiskImage.open(file, false);
        try {
            assertTrue(anotherProcessCanLock(file), "an image only opened is locked");
            image.acquire();
            assertTrue(!anotherProcessCanLock(file), "an acquired image is not locked");

            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                    () -> DiskImage.open(dir.resolve(".").resolve("disk.img"), true));
            assertEquals("--drive file=" + dir.resolve(".").resolve("disk.img")
                    + ": the image is in use by another VM or process", refused.getMessage());
            assertTrue(!anotherProcessCanLock(file), "the refused opening dropped the lock");

            image.release();
            assertTrue(anotherProcessCanLock(file), "a released image is still locked");
            image.acquire();
            assertTrue(!anotherProcessCanLock(file), "the image acquired again is not locked");
        } finally {
            image.close();
        }
        assertTrue(anotherProcessCanLock(file), "a closed image is still locked");
        DiskImage.open(file, false).close();
    }

    private static boolean anotherProcessCanLock(Path file) throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process probe = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                LockProbe.class.getName(), file.toString()).inheritIO().start();
        assertTrue(probe.waitFor(60, TimeUnit.SECONDS), "the probe never ended");
        assertTrue(probe.exitValue() <= 1, "the probe failed: " + probe.exitValue());
        return probe.exitValue() == 0;
    }
}
