package io.pogo.launcher;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.apache.felix.framework.Felix;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;

/** A bundle jar on the class path is installed through the connector: its classes from the class path's loader. */
class ClassPathConnectorTest {

    private static final String PROBE = Probe.class.getName();
    private static final String PROBE_ENTRY = PROBE.replace('.', '/') + ".class";
    private static final String DESCRIPTOR = "OSGI-INF/probe.xml";
    private static final byte[] DESCRIPTOR_BYTES = "<component name='probe'/>".getBytes();

    @TempDir
    Path temp;
    private Felix felix;

    @AfterEach
    void stopFelix() throws BundleException, InterruptedException {
        if (felix != null) {
            felix.stop();
            felix.waitForStop(10_000);
        }
    }

    @Test
    void aJarOnTheClassPathIsConnectedAndAnyOtherInstalledByReference() throws IOException {
        Path onPath = bundleJar("on.jar");
        Path elsewhere = bundleJar("elsewhere.jar");
        ClassPathConnector connector = ClassPathConnector.of(onPath.toString(), ClassLoader.getPlatformClassLoader());

        assertEquals(onPath.toUri().toString(), connector.location(onPath));
        assertEquals("reference:" + elsewhere.toUri(), connector.location(elsewhere));
        assertTrue(connector.connect(onPath.toUri().toString()).isPresent());
        assertTrue(connector.connect(elsewhere.toUri().toString()).isEmpty());
        assertTrue(connector.connect("reference:" + onPath.toUri()).isEmpty());
        assertTrue(connector.connect("file:on.jar").isEmpty());
    }

    @Test
    void theContentReadsTheJarsEntries() throws IOException {
        Path jar = bundleJar("probe.jar");
        ClassLoader loader = ClassLoader.getPlatformClassLoader();
        var content = ClassPathConnector.of(jar.toString(), loader).connect(jar.toUri().toString()).orElseThrow()
                .getContent();
        content.open();
        try {
            assertSame(loader, content.getClassLoader().orElseThrow());
            assertArrayEquals(DESCRIPTOR_BYTES, content.getEntry(DESCRIPTOR).orElseThrow().getBytes());
            assertEquals(DESCRIPTOR_BYTES.length, content.getEntry(DESCRIPTOR).orElseThrow().getContentLength());
            assertTrue(content.getEntry("OSGI-INF/missing.xml").isEmpty());
            List<String> names = new ArrayList<>();
            content.getEntries().forEach(names::add);
            assertTrue(names.contains(PROBE_ENTRY));
        } finally {
            content.close();
        }
    }

    @Test
    void felixLoadsAConnectedBundlesClassesFromTheClassPathsLoader() throws Exception {
        Path jar = bundleJar("probe.jar");
        try (URLClassLoader classPath = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
            ClassPathConnector connector = ClassPathConnector.of(jar.toString(), classPath);
            Bundle bundle = installAndStart(connector, jar);
            assertSame(classPath, bundle.loadClass(PROBE).getClassLoader());
            assertArrayEquals(DESCRIPTOR_BYTES, bundle.getEntry(DESCRIPTOR).openStream().readAllBytes());
        }
    }

    @Test
    void felixLoadsABundleNotOnTheClassPathInALoaderOfItsOwn() throws Exception {
        Path jar = bundleJar("probe.jar");
        try (URLClassLoader classPath = new URLClassLoader(new URL[0], null)) {
            ClassPathConnector connector = ClassPathConnector.of("", classPath);
            Bundle bundle = installAndStart(connector, jar);
            ClassLoader loader = bundle.loadClass(PROBE).getClassLoader();
            assertNotSame(classPath, loader);
            assertNotSame(Probe.class.getClassLoader(), loader);
        }
    }

    private Bundle installAndStart(ClassPathConnector connector, Path jar) throws BundleException {
        felix = new Felix(Map.of(Constants.FRAMEWORK_STORAGE, temp.resolve("felix").toString()), connector);
        felix.init();
        Bundle bundle = felix.getBundleContext().installBundle(connector.location(jar));
        felix.start();
        bundle.start();
        assertEquals(Bundle.ACTIVE, bundle.getState());
        return bundle;
    }

    /** A bundle holding {@link Probe} and a component descriptor. */
    private Path bundleJar(String name) throws IOException {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue(Constants.BUNDLE_MANIFESTVERSION, "2");
        main.putValue(Constants.BUNDLE_SYMBOLICNAME, "io.pogo.launcher.probe");
        Path jar = temp.resolve(name);
        try (OutputStream file = Files.newOutputStream(jar);
             JarOutputStream out = new JarOutputStream(file, manifest);
             InputStream probe = Probe.class.getClassLoader().getResourceAsStream(PROBE_ENTRY)) {
            out.putNextEntry(new JarEntry(PROBE_ENTRY));
            probe.transferTo(out);
            out.putNextEntry(new JarEntry(DESCRIPTOR));
            out.write(DESCRIPTOR_BYTES);
        }
        return jar;
    }

    /** The class the probe bundle holds. */
    public static final class Probe {
    }
}
