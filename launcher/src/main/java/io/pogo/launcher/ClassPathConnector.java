package io.pogo.launcher;

import java.io.File;
import java.net.URI;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.connect.ConnectModule;
import org.osgi.framework.connect.ModuleConnector;

/**
 * OSGi Connect for the bundle jars that are on the JVM's class path (`pogo run` puts them there): Felix still reads
 * such a bundle's manifest and entries from its jar, resolves, wires and starts it, but its classes come from the
 * class path's loader. The JDK's AOT cache links ahead of time only the classes of its own loaders: from the class
 * path, the bundles' classes are loaded and linked as the JVM starts, lambdas included, instead of read from their
 * jar and defined by a bundle class loader at every start. A jar not on the class path is a bundle as usual.
 * Every bundle on the class path shares the one loader, so the class path must hold no bundle whose packages
 * another installed bundle also has.
 */
final class ClassPathConnector implements ModuleConnector {

    /** Felix reads a bundle installed by reference from where it is, instead of first copying it to storage. */
    private static final String REFERENCE = "reference:";

    /** The URIs of the class path's entries: the locations this connector connects. */
    private final Set<String> connectable;
    private final ClassLoader loader;

    private ClassPathConnector(Set<String> connectable, ClassLoader loader) {
        this.connectable = connectable;
        this.loader = loader;
    }

    /** For the jars of the system property {@code java.class.path}, whose classes the application loader loads. */
    static ClassPathConnector ofJvm() {
        return of(System.getProperty("java.class.path", ""), ClassLoader.getSystemClassLoader());
    }

    /** For the jars of {@code classPath} (entries apart by the path separator), whose classes {@code loader} loads. */
    static ClassPathConnector of(String classPath, ClassLoader loader) {
        Set<String> uris = Arrays.stream(classPath.split(File.pathSeparator))
                .filter(entry -> !entry.isEmpty())
                .map(entry -> uri(Path.of(entry)))
                .collect(Collectors.toUnmodifiableSet());
        return new ClassPathConnector(uris, loader);
    }

    /**
     * Where Felix is to install {@code jar} from: a bundle on the class path by its plain URI, which Felix hands to
     * {@link #connect}, any other by reference (Felix asks no connector for those).
     */
    String location(Path jar) {
        String uri = uri(jar);
        return connectable.contains(uri) ? uri : REFERENCE + uri;
    }

    @Override
    public void initialize(File storage, Map<String, String> configuration) {
        // the class path is fixed when the JVM starts: nothing to prepare
    }

    /** Any location but a class path jar's (one a shell user installs, say) is left to Felix. */
    @Override
    public Optional<ConnectModule> connect(String location) {
        return connectable.contains(location)
                ? Optional.of(() -> new ClassPathContent(Path.of(URI.create(location)), loader))
                : Optional.empty();
    }

    @Override
    public Optional<BundleActivator> newBundleActivator() {
        return Optional.empty();
    }

    private static String uri(Path path) {
        return path.toAbsolutePath().normalize().toUri().toString();
    }
}
