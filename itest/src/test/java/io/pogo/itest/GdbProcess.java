package io.pogo.itest;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code pogo run ... --gdb 127.0.0.1:0} as a process, the port it took read from its one line on stderr, and
 * Debian's gdb-multiarch in batch mode against it, as a user debugs a guest.
 */
final class GdbProcess implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("gdb stub of \\S+ on ([0-9.]+):(\\d+)");

    private final Process pogo;
    private final CompletableFuture<String> out;
    private final StringBuilder err = new StringBuilder();
    private final int port;

    private GdbProcess(Process pogo) throws IOException {
        this.pogo = pogo;
        this.out = readAll(pogo.getInputStream());
        BufferedReader lines = new BufferedReader(new InputStreamReader(pogo.getErrorStream(), StandardCharsets.UTF_8));
        int found = -1;
        for (String line; found < 0 && (line = lines.readLine()) != null; ) {
            err.append(line).append('\n');
            Matcher listening = LISTENING.matcher(line);
            if (listening.find()) {
                found = Integer.parseInt(listening.group(2));
            }
        }
        if (found < 0) {
            throw new AssertionError("pogo run never said where its gdb stub listens: " + err);
        }
        port = found;
        Thread.ofVirtual().start(() -> {
            try {
                for (String line; (line = lines.readLine()) != null; ) {
                    synchronized (err) {
                        err.append(line).append('\n');
                    }
                }
            } catch (IOException ended) {
                // the process is gone
            }
        });
    }

    /** Starts {@code ./pogo run ARGS --gdb 127.0.0.1:0 [--wait-gdb]} and waits until its stub listens. */
    static GdbProcess start(boolean waitForGdb, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Guests.root().resolve("pogo").toString(), "run"));
        command.addAll(List.of(args));
        command.addAll(List.of("--gdb", "127.0.0.1:0"));
        if (waitForGdb) {
            command.add("--wait-gdb");
        }
        Process process = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.PIPE).start();
        process.getOutputStream().close();
        return new GdbProcess(process);
    }

    int port() {
        return port;
    }

    /** gdb-multiarch -batch on {@code elf}, connected to the stub, running {@code commands}; its whole output. */
    String gdb(String elf, String... commands) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("gdb-multiarch", "-nx", "-batch",
                "-ex", "set pagination off", "-ex", "set confirm off", "-ex", "file " + elf,
                "-ex", "target remote 127.0.0.1:" + port));
        for (String each : commands) {
            command.addAll(List.of("-ex", each));
        }
        Process gdb = new ProcessBuilder(command).redirectErrorStream(true).start();
        gdb.getOutputStream().close();
        CompletableFuture<String> output = readAll(gdb.getInputStream());
        if (!gdb.waitFor(4, TimeUnit.MINUTES)) {
            gdb.destroyForcibly().waitFor();
            throw new AssertionError("gdb did not finish: " + output.join());
        }
        return output.join();
    }

    /** Waits for pogo to end; its exit status. */
    int waitFor(Duration limit) throws InterruptedException {
        if (!pogo.waitFor(limit.toSeconds(), TimeUnit.SECONDS)) {
            pogo.destroyForcibly().waitFor();
            throw new AssertionError("pogo run did not end within " + limit + ": " + out() + err());
        }
        return pogo.exitValue();
    }

    String out() {
        return out.join();
    }

    String err() {
        synchronized (err) {
            return err.toString();
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (pogo.isAlive()) {
            pogo.destroyForcibly().waitFor();
        }
    }

    private static CompletableFuture<String> readAll(InputStream stream) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, runnable -> Thread.ofVirtual().start(runnable));
    }
}
