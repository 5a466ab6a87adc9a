package io.pogo.itest;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the build put the test guests and the distribution. */
final class Guests {

    private Guests() {
    }

    static Path elf(String name) {
        Path elf = Path.of(System.getProperty("pogo.guests")).resolve(name).toAbsolutePath().normalize();
        if (!Files.isRegularFile(elf)) {
            throw new IllegalStateException("guest " + elf + " was not built");
        }
        return elf;
    }

    static Path root() {
        return Path.of(System.getProperty("pogo.root")).toAbsolutePath().normalize();
    }

    static Path bundles() {
        return Path.of(System.getProperty("pogo.bundles")).toAbsolutePath().normalize();
    }
}
