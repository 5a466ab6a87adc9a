package io.pogo.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.apache.felix.framework.Felix;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.util.tracker.ServiceTracker;
import org.osgi.util.tracker.ServiceTrackerCustomizer;

/**
 * A running Felix with a directory of bundles installed and started, in a private storage area that is removed
 * when it stops. Used by the {@code pogo} command and by the integration tests.
 */
public final class PogoFramework implements AutoCloseable {

    /**
     * How long the wait for a service may take before the framework is taken for broken. The wait ends as soon as
     * the service comes; the bound only delays that report, and a framework that started its bundles comes up in
     * about a second, but in well over 30 s on a host busy with several builds (a test failed so).
     */
    private static final long STARTUP_TIMEOUT_MILLIS = 120_000;
    /**
     * SCR asks JAXP for a SAX parser factory once per bundle; naming the JDK's own spares each of those asks its
     * search of the configuration file and the service providers (some 10 ms of CPU in all).
     */
    private static final String SAX_PARSER_FACTORY = "javax.xml.parsers.SAXParserFactory";
    private static final String JDK_SAX_PARSER_FACTORY = "com.sun.org.apache.xerces.internal.jaxp.SAXParserFactoryImpl";

    /**
     * Felix resolves the bundles on the thread that asks, rather than handing the work of each resolution to a pool
     * of its own and waiting for it: the work is small (a score of bundles), and the hand-offs and wake-ups cost more
     * than they save (`pogo run` of hello.elf: wall median 1.44 s instead of 1.55, 0.76 instead of 0.83 and 1.97
     * instead of 2.25 in three series of 15 alternating runs, load 6-10; CPU 0.02-0.07 s less).
     */
    private static final String RESOLVER_PARALLELISM = "felix.resolver.parallelism";
    /**
     * SCR keeps the descriptions of the components it read in the framework's storage when it stops, and reads them
     * back at its next start instead of parsing each bundle's XML again.
     */
    private static final String SCR_CACHE_METADATA = "ds.cache.metadata";
    /**
     * How long SCR lets a thread wait for a component that another thread is activating before it gives up on it
     * (5 s by default): bundles start on two threads ({@link BundleStarts}) and `pogo run` activates its commands on
     * one thread while Gogo gets them on another, so a wait there is part of a start, which on a busy host takes
     * as long as {@link #STARTUP_TIMEOUT_MILLIS} allows.
     */
    private static final String SCR_LOCK_TIMEOUT = "ds.lock.timeout.milliseconds";
    private static final String SCR = "org.apache.felix.scr";
    private static final String STORAGE_PREFIX = "pogo-felix-";
    /** The file in its storage that Felix holds a lock on while it runs. */
    static final String FELIX_LOCK = "cache.lock";
    private static final Path SHARED_MEMORY = Path.of("/dev/shm");
    /**
     * Felix's classes with the heaviest static initialization: the framework's own (its privileged actions, found by
     * reflection), its utilities (the JDK's modules and their packages, its default properties file) and its
     * extension manager's (a service lookup).
     */
    private static final List<String> FRAMEWORK_CLASSES = List.of(Felix.class.getName(),
            "org.apache.felix.framework.util.Util", "org.apache.felix.framework.ExtensionManager");

    private final Felix felix;
    private final ClassPathConnector connector;
    private final Path storage;
    /** The template this framework's storage is to become when it is abandoned: one its start found missing. */
    private final Optional<StorageTemplate> toMake;
    /** The removal of the storage: run once, by whichever thread comes first; the others wait for its end. */
    private final FutureTask<Void> removal = new FutureTask<>(this::deleteStorage, null);

    private PogoFramework(Felix felix, ClassPathConnector connector, Path storage, Optional<StorageTemplate> toMake) {
        this.felix = felix;
        this.connector = connector;
        this.storage = storage;
        this.toMake = toMake;
    }

    /**
     * A jar that is also on the JVM's class path is connected rather than loaded by a bundle class loader of its
     * own ({@link ClassPathConnector}).
     *
     * @param bundles    directory of bundle jars to install and start
     * @param properties extra framework properties
     * @param include    which of the jars to install
     */
    public static PogoFramework boot(Path bundles, Map<String, String> properties, Predicate<Path> include)
            throws IOException, BundleException {
        return boot(bundles, properties, include, Optional.empty());
    }

    /**
     * As {@link #boot(Path, Map, Predicate)}, but from a copy of the {@link StorageTemplate} in {@code templates}
     * for the same bundles when there is one; when there is none, {@link #abandon} makes it.
     */
    static PogoFramework bootFromTemplate(Path bundles, Map<String, String> properties, Predicate<Path> include,
                                          Path templates) throws IOException, BundleException {
        return boot(bundles, properties, include, Optional.of(templates));
    }

    private static PogoFramework boot(Path bundles, Map<String, String> properties, Predicate<Path> include,
                                       Optional<Path> templates) throws IOException, BundleException {
        Thread.ofPlatform().daemon().name("pogo-framework-classes").start(PogoFramework::initializeFramework);
        if (System.getProperty(SAX_PARSER_FACTORY) == null) {
            System.setProperty(SAX_PARSER_FACTORY, JDK_SAX_PARSER_FACTORY);
        }
        ClassPathConnector connector = ClassPathConnector.ofJvm();
        List<Path> jars;
        try (Stream<Path> listed = Files.list(bundles)) {
            jars = listed.filter(path -> path.toString().endsWith(".jar")).filter(include).sorted().toList();
        }
        List<String> locations = jars.stream().map(connector::location).toList();
        Optional<StorageTemplate> template = templates.isEmpty() ? Optional.empty() : Optional.of(StorageTemplate.of(
                templates.get(), locations, Stream.concat(jars.stream(), Stream.of(frameworkJar())).toList()));
        Path storage = newStorage();
        // the template is copied while Felix is constructed, which does not look at its storage yet (init does)
        FutureTask<Optional<StorageTemplate>> copying = new FutureTask<>(() -> template.filter(
                wanted -> !(wanted.exists() && wanted.copyTo(storage)) && wanted.canBeMade()));
        Thread.ofPlatform().name("pogo-storage-copy").start(copying);
        Map<String, Object> config = new HashMap<>(properties);
        if (template.isPresent()) {
            config.put(SCR_CACHE_METADATA, "true");
        }
        config.put(Constants.FRAMEWORK_STORAGE, storage.toString());
        config.merge(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, "com.sun.management", (given, ours) -> given + "," + ours);
        config.putIfAbsent("felix.cm.dir", stateDirectory().resolve("config").toString());
        config.putIfAbsent(RESOLVER_PARALLELISM, "1");
        config.putIfAbsent(SCR_LOCK_TIMEOUT, Long.toString(STARTUP_TIMEOUT_MILLIS));
        Felix felix = new Felix(config, connector);
        PogoFramework framework = new PogoFramework(felix, connector, storage, copied(copying));
        try {
            felix.init();
            List<Bundle> installed = new ArrayList<>();
            for (String location : locations) {
                installed.add(felix.getBundleContext().installBundle(location));
            }
            felix.start();
            // started for this run alone: a template made of this storage then records no bundle as one to start,
            // and a run from it starts them here, as one from an empty storage does
            BundleStarts.start(felix.adapt(FrameworkWiring.class), installed.stream()
                    .filter(bundle -> bundle.getHeaders().get(Constants.FRAGMENT_HOST) == null).toList());
            return framework;
        } catch (BundleException | RuntimeException e) {
            framework.close();
            throw e;
        }
    }

    /**
     * Runs the static initialization of Felix's classes that do the most of it, and the JDK's formatting of a number
     * that Felix's constructor asks for (its first call loads the JDK's locale data), while the calling thread lists
     * the bundles and prepares the storage: some 8% of the main thread's samples in a profile of `pogo run`, on the
     * other core. The constructor then finds them done, or waits for them to be; should one fail here, it fails
     * there as it would have.
     */
    private static void initializeFramework() {
        for (String name : FRAMEWORK_CLASSES) {
            try {
                Class.forName(name, true, Felix.class.getClassLoader());
            } catch (ClassNotFoundException | LinkageError e) {
                // the constructor meets it
            }
        }
        String.format("%03d", 0);
    }

    /** What the copy of the template gave: the template to make at the end, if any. */
    private static Optional<StorageTemplate> copied(FutureTask<Optional<StorageTemplate>> copying) throws IOException {
        try {
            return copying.get();
        } catch (ExecutionException e) {
            TaskFailures.rethrowUnchecked(e);
            throw new IOException("copying the framework's storage", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while the framework's storage was copied", e);
        }
    }

    /** The jar Felix's classes come from: a storage Felix wrote is read by the same version. */
    private static Path frameworkJar() throws IOException {
        try {
            return Path.of(Felix.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException | RuntimeException e) {
            throw new IOException("cannot tell where Felix's classes come from", e);
        }
    }

    /**
     * A new directory for Felix's storage, readable by this user alone, in {@link #storageParent}. It is named by the
     * process id, which no other live process has: {@link Files#createTempDirectory}'s random name seeds a
     * SecureRandom first, some 20 ms of CPU at every start. The directory is created here or not at all, so a name
     * some other process left behind (or planted) is never used: the random name is the fallback then. Felix is not
     * asked to clean it first: it is empty, and cleaning deletes the directory and makes it anew, readable by all.
     */
    private static Path newStorage() throws IOException {
        FileAttribute<Set<PosixFilePermission>> ownerOnly = PosixFilePermissions.asFileAttribute(
                EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
                        PosixFilePermission.OWNER_EXECUTE));
        Path parent = storageParent();
        removeAbandonedStorage(parent);
        Path named = storageIn(parent, ProcessHandle.current().pid());
        try {
            return Files.createDirectory(named, ownerOnly);
        } catch (FileAlreadyExistsException | UnsupportedOperationException e) {
            return Files.createTempDirectory(parent, STORAGE_PREFIX);
        }
    }

    /** Where the framework of process {@code pid} keeps its storage while it runs, unless another had that name. */
    public static Path storageOf(long pid) {
        return storageIn(storageParent(), pid);
    }

    private static Path storageIn(Path parent, long pid) {
        return parent.resolve(STORAGE_PREFIX + pid);
    }

    /**
     * Removes what processes ended before they could remove their storage left behind (a process killed, as the tests
     * kill one that hangs): in {@code /dev/shm} it would hold memory until the host restarts. That is a storage named
     * by a process id no live process has, whose Felix lock no process holds (a process of another PID namespace
     * sharing the folder holds its own). One being made (no lock yet), one of another user's and one with a random
     * name (far above any process id) stay.
     */
    private static void removeAbandonedStorage(Path parent) {
        try (DirectoryStream<Path> storages = Files.newDirectoryStream(parent, STORAGE_PREFIX + "*")) {
            for (Path storage : storages) {
                String suffix = storage.getFileName().toString().substring(STORAGE_PREFIX.length());
                if (suffix.matches("[0-9]{1,7}") && ProcessHandle.of(Long.parseLong(suffix)).isEmpty()
                        && Files.isWritable(storage) && unlocked(storage.resolve(FELIX_LOCK))) {
                    deleteTree(storage);
                }
            }
        } catch (IOException | DirectoryIteratorException | UncheckedIOException e) {
            // left for a later start: this one's own storage does not depend on it
        }
    }

    /** Whether the lock file exists and no process holds its lock. */
    private static boolean unlocked(Path lockFile) {
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE);
             FileLock lock = channel.tryLock()) {
            return lock != null;
        } catch (IOException | OverlappingFileLockException e) {
            return false;
        }
    }

    /**
     * The shared-memory file system (a tmpfs on Linux) when this user may write there, else the temporary directory.
     * Felix writes a few files for each bundle it installs, and the storage is removed when the framework is done
     * with: on the disk's file system that took `pogo run` of hello.elf 92 ms to install its bundles and 39 ms to
     * remove the storage, against 56 ms and 4 ms in memory (medians of 8 runs, load 6).
     */
    private static Path storageParent() {
        return Files.isDirectory(SHARED_MEMORY) && Files.isWritable(SHARED_MEMORY) ? SHARED_MEMORY
                : Path.of(System.getProperty("java.io.tmpdir"));
    }

    /** Installs and starts one more bundle. */
    public Bundle start(Path jar) throws BundleException {
        Bundle bundle = context().installBundle(connector.location(jar));
        bundle.start();
        return bundle;
    }

    /**
     * Where ConfigAdmin keeps what users chose (allocator policies and the like) across restarts: the system
     * property {@code pogo.state}, else one folder per folder of VM definitions under {@code $XDG_STATE_HOME/pogo}
     * (or {@code ~/.local/state/pogo}), so two checkouts never share their choices or their VMs.
     */
    static Path stateDirectory() {
        String configured = System.getProperty("pogo.state");
        if (configured != null && !configured.isEmpty()) {
            return Path.of(configured);
        }
        String xdg = System.getenv("XDG_STATE_HOME");
        Path base = xdg != null && !xdg.isEmpty() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".local", "state");
        Path definitions = Framework.definitionsDirectory();
        String owner = definitions.getParent() == null ? "root" : definitions.getParent().getFileName().toString();
        return base.resolve("pogo").resolve(owner + "-" + HexFormat.of().toHexDigits(definitions.toString().hashCode()));
    }

    public BundleContext context() {
        return felix.getBundleContext();
    }

    /**
     * Waits for a service matching the LDAP {@code filter} to be registered, woken by its registration. The service
     * is not got: a component behind it is activated by whoever gets it first (SCR activates a delayed component
     * and every component it references on that thread).
     */
    public ServiceReference<?> awaitService(String filter) throws InterruptedException {
        ServiceTracker<Object, ServiceReference<Object>> tracker;
        try {
            tracker = new ServiceTracker<>(context(), context().createFilter(filter), new References());
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException(e);
        }
        tracker.open(true);
        try {
            ServiceReference<Object> reference = tracker.waitForService(STARTUP_TIMEOUT_MILLIS);
            if (reference == null) {
                throw new IllegalStateException("the Pogo services did not come up within "
                        + STARTUP_TIMEOUT_MILLIS / 1000 + " s (missing " + filter + ")");
            }
            return reference;
        } finally {
            tracker.close();
        }
    }

    /** Tracks services by their references alone, without getting them. */
    private static final class References implements ServiceTrackerCustomizer<Object, ServiceReference<Object>> {

        @Override
        public ServiceReference<Object> addingService(ServiceReference<Object> reference) {
            return reference;
        }

        @Override
        public void modifiedService(ServiceReference<Object> reference, ServiceReference<Object> tracked) {
            // the reference stays the same
        }

        @Override
        public void removedService(ServiceReference<Object> reference, ServiceReference<Object> tracked) {
            // nothing was got
        }
    }

    /** Waits for a service of {@code type} to be registered and returns it. */
    public <T> T awaitService(Class<T> type) throws InterruptedException {
        return type.cast(context().getService(awaitService("(objectClass=" + type.getName() + ")")));
    }

    /** Blocks until the framework stops on its own (the shell's end of input, {@code stop 0}). */
    public void awaitStop() throws InterruptedException {
        felix.waitForStop(0);
    }

    /**
     * For a process that exits next, once its work is over: removes the storage but leaves the bundles running,
     * since stopping them one by one would only tear down what the exit ends anyway. A framework booted without
     * the template it asked for first makes it: SCR, stopped, writes the components' descriptions it read into the
     * storage, which then becomes the template (its bundles were started for this run alone: it records none as to
     * be started, and a run from it starts each as it asks).
     */
    public void abandon() {
        toMake.ifPresent(template -> {
            try {
                for (Bundle bundle : context().getBundles()) {
                    if (SCR.equals(bundle.getSymbolicName())) {
                        bundle.stop(Bundle.STOP_TRANSIENT);
                        template.makeFrom(storage);
                    }
                }
            } catch (BundleException | IllegalStateException e) {
                // no template this time: the next run tries again
            }
        });
        removeStorage();
    }

    /**
     * For a run whose bundles have started and whose services it has got: Felix read its storage as it started,
     * and SCR its components' descriptions, and neither reads it again. Unless a template is to be made of it at
     * {@link #abandon}, the storage is removed now, on the calling thread, rather than on the exit's path: walking
     * and deleting its hundred files and folders took `pogo run` 3-13 ms between the guest's end and the process's.
     */
    public void releaseStorage() {
        if (toMake.isEmpty()) {
            removal.run();
        }
    }

    @Override
    public void close() {
        try {
            felix.stop();
            felix.waitForStop(10_000);
        } catch (BundleException e) {
            System.err.println("pogo: stopping the framework: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            removeStorage();
        }
    }

    /** Removes the storage, or waits for the removal {@link #releaseStorage} began to end. */
    private void removeStorage() {
        removal.run();
        try {
            removal.get();
        } catch (ExecutionException e) {
            TaskFailures.rethrowUnchecked(e);
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void deleteStorage() {
        try {
            deleteTree(storage);
        } catch (IOException e) {
            System.err.println("pogo: could not remove " + storage + ": " + e.getMessage());
        }
    }

    /**
     * Deletes the files before their folders, and Felix's lock last but for its folder: a removal cut short (the
     * process killed as it removes its storage while the VM runs) leaves the lock, by which a later start knows the
     * storage for an abandoned one and removes it.
     */
    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.comparing((Path path) -> path.equals(root))
                            .thenComparing(path -> path.equals(root.resolve(FELIX_LOCK)))
                            .thenComparing(Comparator.reverseOrder()))
                    .forEach(path -> path.toFile().delete());
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
