package io.pogo.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pogo.launcher.PogoFramework;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The {@code pogo} command as a user runs it: a separate process, its output and its exit status. */
@Timeout(120)
class PogoCommandTest {

    /** How a process ended; {@code pid} its process id, which {@code pogo}'s JVM keeps (the script execs it). */
    record Result(int status, String out, String err, long pid) {
    }

    static Result pogo(String stdin, String... args) throws IOException, InterruptedException {
        return pogo(Duration.ofSeconds(90), stdin, args);
    }

    /** Runs {@code ./pogo ARGS} with {@code stdin} as its input; a run longer than {@code limit} is killed and fails. */
    static Result pogo(Duration limit, String stdin, String... args) throws IOException, InterruptedException {
        return pogo(Map.of(), limit, stdin, args);
    }

    /** As {@link #pogo(Duration, String, String...)}, with environment variables added. */
    static Result pogo(Map<String, String> environment, Duration limit, String stdin, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Guests.root().resolve("pogo").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(environment);
        Process process = builder.start();
        CompletableFuture<byte[]> out = readAll(process.getInputStream());
        CompletableFuture<byte[]> err = readAll(process.getErrorStream());
        try (var in = process.getOutputStream()) {
            in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        if (!process.waitFor(limit.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("pogo " + String.join(" ", args) + " did not finish within " + limit + ": "
                    + new String(out.join(), StandardCharsets.UTF_8));
        }
        return new Result(process.exitValue(), new String(out.join(), StandardCharsets.UTF_8),
                new String(err.join(), StandardCharsets.UTF_8), process.pid());
    }

    private static CompletableFuture<byte[]> readAll(InputStream stream) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, runnable -> Thread.ofVirtual().start(runnable));
    }

    @Test
    void runPrintsTheGuestsGreetingAndExitsZero() throws Exception {
        Result run = pogo("", "run", "--bios", "none", "--kernel", Guests.elf("hello.elf").toString());
        assertEquals(0, run.status(), run.err());
        assertTrue(run.out().contains("hello from guest"), run.out());
        assertEquals("", run.err());
    }

    /** Felix's storage of a run, in /dev/shm, is removed before the process ends: it would hold memory there. */
    @Test
    void runLeavesNoFrameworkStorageBehind() throws Exception {
        Result run = pogo("", "run", "--bios", "none", "--kernel", Guests.elf("hello.elf").toString());
        assertEquals(0, run.status(), run.err());
        assertFalse(Files.exists(PogoFramework.storageOf(run.pid())), "storage of " + run.pid());
    }

    @Test
    void runExitsWithTheGuestsFinisherCode() throws Exception {
        Result run = pogo("", "run", "--bios", "none", "--kernel", Guests.elf("hello-exit3.elf").toString());
        assertEquals(3, run.status(), run.err());
        assertTrue(run.out().contains("hello from guest"), run.out());
    }

    @Test
    void builtinFirmwareOffersEverySbiExtensionToASupervisorPayload() throws Exception {
        Result run = pogo("", "run", "--smp", "2", "--bios", "builtin", "--kernel", Guests.elf("sbi-test.elf").toString());
        assertFalse(run.out().contains("FAILED"), run.out());
        assertTrue(run.out().contains("sbi: supervisor payload on hart 0"), run.out());
        assertTrue(run.out().contains("sbi: dbcn write\nD\nlegacy putchar\n"), run.out());
        assertTrue(run.out().contains("sbi: all checks passed"), run.out());
        assertEquals(0, run.status(), run.err());
    }

    @Test
    void missingKernelFileIsOneLineAndStatusTwo() throws Exception {
        assertUsageError(pogo("", "run", "--bios", "none", "--kernel", "/nonexistent/kernel.elf"), "no such file");
    }

    /** With --bios none any other file is a raw image, as for QEMU: only an empty one is refused. */
    @Test
    void emptyKernelFileIsOneLineAndStatusTwo(@TempDir Path dir) throws Exception {
        Path empty = Files.createFile(dir.resolve("empty.bin"));
        assertUsageError(pogo("", "run", "--bios", "none", "--kernel", empty.toString()), "empty file");
    }

    @Test
    void x86ElfIsOneLineAndStatusTwo() throws Exception {
        assertUsageError(pogo("", "run", "--bios", "none", "--kernel", "/bin/true"), "x86-64, not RISC-V");
    }

    @Test
    void unknownOptionIsOneLineAndStatusTwo() throws Exception {
        assertUsageError(pogo("", "run", "--bogus", "--kernel", Guests.elf("hello.elf").toString()), "--bogus");
    }

    @Test
    void truncatedElfIsOneLineAndStatusTwo(@TempDir Path dir) throws Exception {
        byte[] hello = Files.readAllBytes(Guests.elf("hello.elf"));
        Path truncated = dir.resolve("truncated.elf");
        Files.write(truncated, java.util.Arrays.copyOf(hello, 200));
        assertUsageError(pogo("", "run", "--bios", "none", "--kernel", truncated.toString()), "corrupt ELF");
    }

    @Test
    void kernelCommandLineTooLargeForTheDeviceTreeIsOneLineAndStatusTwo() throws Exception {
        assertUsageError(pogo("", "run", "--append", "a".repeat(100_000), "--bios", "none", "--kernel",
                Guests.elf("hello.elf").toString()), "--append is 100000 characters long");
    }

    @Test
    void udpPortOutOfRangeIsOneLineAndStatusTwo() throws Exception {
        assertUsageError(pogo("", "run", "--nic", "switch=a,udp=127.0.0.1:70000,peer=127.0.0.1:7001", "--bios", "none",
                "--kernel", Guests.elf("hello.elf").toString()), "port 70000 is out of range (0 to 65535)");
    }

    @Test
    void scriptedShellCreatesStartsListsAndCountsExits() throws Exception {
        String hello = Guests.elf("hello.elf").toString();
        Result shell = pogo("vm:create a --bios none --kernel " + hello + "\nvm:start a\nvm:list\ndispatch:stats a\n");
        assertEquals(0, shell.status(), shell.err());
        assertTrue(shell.out().contains("created a"), shell.out());
        assertTrue(shell.out().contains("started a"), shell.out());
        assertTrue(Pattern.compile("(?m)^a\\s+(running|stopped)").matcher(shell.out()).find(), shell.out());
        assertTrue(exitCount(shell.out(), "CSR_ACCESS") > 0, shell.out());
        assertTrue(exitCount(shell.out(), "MMIO_LOAD") + exitCount(shell.out(), "MMIO_STORE") > 0, shell.out());
    }

    private static long exitCount(String stats, String kind) {
        Matcher row = Pattern.compile("(?m)^a\\s+" + kind + "\\s+\\S+\\s+(\\d+)$").matcher(stats);
        assertTrue(row.find(), "no " + kind + " row in: " + stats);
        return Long.parseLong(row.group(1));
    }

    static void assertUsageError(Result run, String expected) {
        assertEquals(2, run.status(), run.out() + run.err());
        List<String> lines = run.err().lines().toList();
        assertEquals(1, lines.size(), "exactly one line on stderr: " + run.err());
        assertTrue(lines.getFirst().startsWith("pogo: ") && lines.getFirst().contains(expected), run.err());
        assertFalse(run.out().contains("Exception"), run.out());
    }
}
