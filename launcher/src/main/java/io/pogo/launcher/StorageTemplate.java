package io.pogo.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * A Felix storage that {@code pogo run} copies instead of installing its bundles into an empty one: Felix reloads
 * the bundles it holds, and SCR reads their components' descriptions from the cache it wrote there when it last
 * stopped ({@code ds.cache.metadata}) instead of parsing each bundle's XML again. SCR trusts an entry of that cache
 * only for the bundle of the same id and the same time of installation, which only a copy of the same storage keeps.
 * A template is named after the jars it holds, their sizes and their times of modification, so that a rebuilt jar
 * gets a template of its own rather than one that describes its old contents; the first run of a set of jars makes
 * its template when it is over.
 *
 * @param directory where the template for these jars is, or is to be made
 * @param kind      the name of the set of jars alone, which the templates of its older builds share
 */
record StorageTemplate(Path directory, String kind) {

    private static final String PREFIX = "felix-storage-";

    /**
     * The template in {@code parent} for the bundles installed from {@code locations}, in that order, out of
     * {@code jars} (with the framework's own).
     */
    static StorageTemplate of(Path parent, List<String> locations, List<Path> jars) throws IOException {
        StringBuilder names = new StringBuilder(String.join("\n", locations));
        StringBuilder builds = new StringBuilder();
        for (Path jar : jars) {
            BasicFileAttributes attributes = Files.readAttributes(jar, BasicFileAttributes.class);
            builds.append(jar).append(' ').append(attributes.size()).append(' ')
                    .append(attributes.lastModifiedTime().toMillis()).append('\n');
        }
        String kind = PREFIX + hash(names) + "-";
        return new StorageTemplate(parent.resolve(kind + hash(builds)), kind);
    }

    /**
     * The 64-bit FNV-1a hash of the text's characters: a collision would give a new build the template of another,
     * whose SCR cache describes its old components.
     */
    private static String hash(CharSequence text) {
        long hash = 0xcbf29ce484222325L;
        for (int i = 0; i < text.length(); i++) {
            hash = (hash ^ text.charAt(i)) * 0x100000001b3L;
        }
        return HexFormat.of().toHexDigits(hash);
    }

    boolean exists() {
        return Files.isDirectory(directory);
    }

    /** Whether this user may make it: a distribution installed read-only has no templates, nor runs that try. */
    boolean canBeMade() {
        return Files.isWritable(directory.getParent());
    }

    /**
     * Copies the template into the empty directory {@code storage}; false, with {@code storage} emptied again, when
     * it could not (another process replaced the template meanwhile, say).
     */
    boolean copyTo(Path storage) {
        try {
            copyTree(directory, storage);
            return true;
        } catch (IOException | UncheckedIOException e) {
            emptyQuietly(storage);
            return false;
        }
    }

    /**
     * Makes this template from {@code storage}, the storage of a framework whose SCR has just written its cache. It
     * is copied beside the template and renamed into place, so that no run copies one half made; when several runs
     * make it at once, the first one's stays. The templates of older builds of the same jars are removed.
     */
    void makeFrom(Path storage) {
        Path made = directory.resolveSibling(directory.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
        try {
            copyTree(storage, made);
            Files.move(made, directory, StandardCopyOption.ATOMIC_MOVE);
            removeOlderBuilds();
        } catch (IOException | UncheckedIOException e) {
            // a run without a template is as correct, only slower: the next run tries again
        } finally {
            deleteQuietly(made);
        }
    }

    /** Copies the files under {@code from} into {@code to}, but for Felix's lock ({@link PogoFramework#FELIX_LOCK}). */
    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path path : (Iterable<Path>) paths::iterator) {
                Path target = to.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else if (!path.getFileName().toString().equals(PogoFramework.FELIX_LOCK)) {
                    Files.copy(path, target);
                }
            }
        }
    }

    private void removeOlderBuilds() {
        try (DirectoryStream<Path> templates = Files.newDirectoryStream(directory.getParent(), kind + "*")) {
            for (Path template : templates) {
                if (!template.equals(directory) && !template.getFileName().toString().endsWith(".tmp")) {
                    deleteQuietly(template);
                }
            }
        } catch (IOException | DirectoryIteratorException e) {
            // left for the next template of these jars to remove
        }
    }

    private static void emptyQuietly(Path storage) {
        try (Stream<Path> paths = Files.list(storage)) {
            paths.forEach(StorageTemplate::deleteQuietly);
        } catch (IOException | UncheckedIOException e) {
            // Felix finds what is left and reloads it, or fails the start with its own message
        }
    }

    private static void deleteQuietly(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // nothing there, or another process removes it
        }
    }
}
