package io.pogo.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.osgi.framework.connect.ConnectContent;

/**
 * A connected bundle's content (see {@link ClassPathConnector}): its entries (manifest, component descriptors) read
 * from its jar, open from {@link #open} to {@link #close}, and its classes from the class path's loader.
 */
final class ClassPathContent implements ConnectContent {

    private final Path jar;
    private final ClassLoader loader;
    private volatile ZipFile zip;

    ClassPathContent(Path jar, ClassLoader loader) {
        this.jar = jar;
        this.loader = loader;
    }

    /** None given: Felix reads the jar's manifest. */
    @Override
    public Optional<Map<String, String>> getHeaders() {
        return Optional.empty();
    }

    @Override
    public Iterable<String> getEntries() {
        return zip.stream().map(ZipEntry::getName).toList();
    }

    @Override
    public Optional<ConnectEntry> getEntry(String path) {
        ZipFile open = zip;
        return Optional.ofNullable(open.getEntry(path)).map(entry -> new JarEntry(open, entry));
    }

    @Override
    public Optional<ClassLoader> getClassLoader() {
        return Optional.of(loader);
    }

    @Override
    public void open() throws IOException {
        zip = new ZipFile(jar.toFile());
    }

    @Override
    public void close() throws IOException {
        zip.close();
    }

    /** One entry of the jar. */
    private record JarEntry(ZipFile zip, ZipEntry entry) implements ConnectEntry {

        @Override
        public String getName() {
            return entry.getName();
        }

        @Override
        public long getContentLength() {
            return entry.getSize();
        }

        @Override
        public long getLastModified() {
            return entry.getTime();
        }

        @Override
        public InputStream getInputStream() throws IOException {
            return zip.getInputStream(entry);
        }
    }
}
