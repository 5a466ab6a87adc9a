package io.pogo.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pogo.itest.PogoCommandTest.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A third-party device bundle (examples/device-rng) installed into a running Pogo from its shell. */
@Timeout(120)
class ExampleDeviceTest {

    static Path exampleJar() throws IOException {
        Path target = Guests.root().resolve("examples/device-rng/target");
        try (Stream<Path> jars = Files.exists(target) ? Files.list(target) : Stream.empty()) {
            return jars.filter(jar -> jar.getFileName().toString().matches("device-rng-[0-9.]+(-SNAPSHOT)?\\.jar"))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("examples/device-rng was not built"));
        }
    }

    @Test
    void installedDeviceIsListedAndUsedByTheNextVm() throws Exception {
        String jar = exampleJar().toUri().toString();
        Result shell = PogoCommandTest.pogo("dev:list\ninstall " + jar + "\nstart " + jar + "\ndev:list\n"
                + "vm:run --bios none --kernel " + Guests.elf("dev-rng.elf") + " --device timeriomem-rng\n");
        assertEquals(0, shell.status(), shell.err());
        String out = shell.out();
        int installed = out.indexOf("Bundle ID:");
        assertTrue(installed > 0, out);
        assertTrue(!out.substring(0, installed).contains("timeriomem-rng"), "not there before: " + out);
        assertTrue(out.substring(installed).lines()
                .anyMatch(line -> line.matches("timeriomem-rng\\s+0x00102000\\+0x1000\\s+com\\.example\\.pogo\\.rng .*")),
                out);
        assertTrue(out.contains("rng ok"), out);
        assertTrue(out.lines().filter(line -> line.contains("random: 0x")).count() == 4, out);
    }
}
