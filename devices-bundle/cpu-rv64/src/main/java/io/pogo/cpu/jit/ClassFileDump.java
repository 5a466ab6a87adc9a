package io.pogo.cpu.jit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * Writes the class file of each compiled region the JVM loads into the directory the system property
 * {@value #PROPERTY} names, for reading its bytecode ({@code javap -c -p}); unset, nothing is written. A file is
 * named after the region's hidden class as profiles, {@code -XX:+PrintCompilation} and {@code jcmd
 * Compiler.perfmap} name it, its {@code /} a {@code +}. A file that cannot be written costs one line on standard
 * error, never the region.
 */
final class ClassFileDump {
    static final String PROPERTY = "pogo.jit.dump";

    private ClassFileDump() {
    }

    static void write(Class<?> region, byte[] classFile) {
        String directory = System.getProperty(PROPERTY);
        if (directory != null) {
            write(region, classFile, directory);
        }
    }

    /** Writes {@code classFile} of {@code region} into {@code directory}, creating it if need be. */
    static void write(Class<?> region, byte[] classFile, String directory) {
        String name = region.getName().replace('/', '+') + ".class";
        try {
            Files.write(Files.createDirectories(Path.of(directory)).resolve(name), classFile);
        } catch (IOException | InvalidPathException e) {
            System.err.println(PROPERTY + ": cannot write " + name + " into " + directory + ": " + e);
        }
    }
}
