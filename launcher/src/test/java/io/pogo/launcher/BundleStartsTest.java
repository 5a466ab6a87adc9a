package io.pogo.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;

/**
 * Bundles start on two threads, in a real Felix: every one that can start does, and a failure is reported as a start
 * in list order would have met it, once.
 */
class BundleStartsTest {

    @TempDir
    Path temp;

    @Test
    void everyBundleThatCanStartIsActive() throws IOException, BundleException {
        Path bundles = Files.createDirectory(temp.resolve("bundles"));
        for (int i = 0; i < 12; i++) {
            bundle(bundles, "good" + i, null);
        }

        try (PogoFramework framework = PogoFramework.boot(bundles, properties(), path -> true)) {
            Bundle[] installed = framework.context().getBundles();
            assertEquals(13, installed.length, "the system bundle and the twelve");
            assertTrue(Arrays.stream(installed).allMatch(bundle -> bundle.getState() == Bundle.ACTIVE),
                    () -> Arrays.toString(installed));
        }
    }

    @Test
    void theFirstFailureInListOrderIsTheOneReported() throws IOException {
        Path bundles = Files.createDirectory(temp.resolve("bundles"));
        bundle(bundles, "a-good", null);
        bundle(bundles, "b-missing", "no.such.first");
        bundle(bundles, "c-good", null);
        bundle(bundles, "d-missing", "no.such.second");

        BundleException failure = assertThrows(BundleException.class,
                () -> PogoFramework.boot(bundles, properties(), path -> true).close());

        assertTrue(failure.getMessage().contains("no.such.first"), failure.getMessage());
        assertFalse(failure.getMessage().contains("no.such.second"), failure.getMessage());
    }

    private Map<String, String> properties() {
        return Map.of("felix.cm.dir", temp.resolve("config").toString());
    }

    /** A bundle of a manifest alone, importing {@code missingPackage} when it is given. */
    private static void bundle(Path directory, String name, String missingPackage) throws IOException {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Bundle-ManifestVersion", "2");
        main.putValue("Bundle-SymbolicName", "test." + name);
        if (missingPackage != null) {
            main.putValue("Import-Package", missingPackage);
        }
        try (OutputStream file = Files.newOutputStream(directory.resolve(name + ".jar"));
             JarOutputStream jar = new JarOutputStream(file, manifest)) {
            jar.flush();
        }
    }
}
