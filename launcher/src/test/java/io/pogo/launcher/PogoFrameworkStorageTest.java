package io.pogo.launcher;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleException;

/**
 * A framework keeps its storage where {@link PogoFramework#storageOf} names it for its process, which is how a test of
 * another process (the {@code pogo} command's) knows where to look, and removes it when closed.
 */
class PogoFrameworkStorageTest {

    @TempDir
    Path temp;

    @Test
    void theStorageIsWhereItsProcessNamesItUntilTheFrameworkCloses() throws IOException, BundleException {
        Path storage = PogoFramework.storageOf(ProcessHandle.current().pid());
        Path bundles = Files.createDirectory(temp.resolve("bundles"));

        try (PogoFramework framework = PogoFramework.boot(bundles, Map.of("felix.cm.dir",
                temp.resolve("config").toString()), path -> true)) {
            assertTrue(Files.exists(storage.resolve(PogoFramework.FELIX_LOCK)), "Felix's lock in " + storage);
        }
        assertFalse(Files.exists(storage), storage + " after close");
    }
}
