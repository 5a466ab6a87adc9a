package io.pogo.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A storage template is named after its jars' builds, copied whole but for Felix's lock, and replaced per build. */
class StorageTemplateTest {

    @TempDir
    Path temp;

    @Test
    void aTemplateIsNamedByItsBundlesAndTheBuildsOfItsJars() throws IOException {
        Path jar = jar("a.jar", 1_000_000);
        StorageTemplate template = StorageTemplate.of(temp, List.of("file:/a.jar"), List.of(jar));

        assertEquals(template, StorageTemplate.of(temp, List.of("file:/a.jar"), List.of(jar)));
        Files.setLastModifiedTime(jar, FileTime.fromMillis(2_000_000));
        StorageTemplate rebuilt = StorageTemplate.of(temp, List.of("file:/a.jar"), List.of(jar));
        assertNotEquals(template.directory(), rebuilt.directory());
        assertEquals(template.kind(), rebuilt.kind());
        assertNotEquals(template.kind(), StorageTemplate.of(temp, List.of("reference:file:/a.jar"), List.of(jar)).kind());
    }

    @Test
    void aCopyHoldsEveryFileOfTheStorageButFelixsLock() throws IOException {
        Path storage = storage("one");
        StorageTemplate template = StorageTemplate.of(temp, List.of("file:/a.jar"), List.of(jar("a.jar", 1_000_000)));
        assertFalse(template.exists());

        template.makeFrom(storage);
        Path copy = Files.createDirectory(temp.resolve("copy"));

        assertTrue(template.exists());
        assertTrue(template.copyTo(copy));
        assertEquals("one", Files.readString(copy.resolve("bundle1/bundle.info")));
        assertEquals("cache of one", Files.readString(copy.resolve("bundle9/data/componentMetadataStore")));
        assertFalse(Files.exists(copy.resolve("cache.lock")));
        try (Stream<Path> made = Files.list(temp)) {
            assertTrue(made.noneMatch(path -> path.toString().endsWith(".tmp")));
        }
    }

    @Test
    void theTemplateOfANewBuildReplacesThoseOfOlderBuildsAndTheFirstOfABuildStays() throws IOException {
        Path jar = jar("a.jar", 1_000_000);
        StorageTemplate old = StorageTemplate.of(temp, List.of("file:/a.jar"), List.of(jar));
        old.makeFrom(storage("old"));
        Files.setLastModifiedTime(jar, FileTime.fromMillis(2_000_000));
        StorageTemplate current = StorageTemplate.of(temp, List.of("file:/a.jar"), List.of(jar));

        current.makeFrom(storage("first"));
        current.makeFrom(storage("second"));

        assertFalse(old.exists());
        Path copy = Files.createDirectory(temp.resolve("copy"));
        assertTrue(current.copyTo(copy));
        assertEquals("first", Files.readString(copy.resolve("bundle1/bundle.info")));
    }

    @Test
    void aTemplateThatIsGoneLeavesTheStorageEmpty() throws IOException {
        StorageTemplate missing = StorageTemplate.of(temp, List.of("file:/a.jar"), List.of(jar("a.jar", 1_000_000)));
        Path copy = Files.createDirectory(temp.resolve("copy"));

        assertFalse(missing.copyTo(copy));
        try (Stream<Path> left = Files.list(copy)) {
            assertEquals(0, left.count());
        }
    }

    private Path jar(String name, long modified) throws IOException {
        Path jar = Files.writeString(temp.resolve(name), name);
        Files.setLastModifiedTime(jar, FileTime.fromMillis(modified));
        return jar;
    }

    /** A storage as Felix and SCR leave it: a bundle's record, SCR's cache in its data area, the lock file. */
    private Path storage(String name) throws IOException {
        Path storage = temp.resolve("storage-" + name);
        Files.createDirectories(storage.resolve("bundle1"));
        Files.createDirectories(storage.resolve("bundle9/data"));
        Files.writeString(storage.resolve("bundle1/bundle.info"), name);
        Files.writeString(storage.resolve("bundle9/data/componentMetadataStore"), "cache of " + name);
        Files.writeString(storage.resolve("cache.lock"), "");
        return storage;
    }
}
