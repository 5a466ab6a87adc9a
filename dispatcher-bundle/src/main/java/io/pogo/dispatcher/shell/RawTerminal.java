package io.pogo.dispatcher.shell;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Puts the controlling terminal into raw mode while a user talks to a guest, so every key reaches the guest at
 * once and the guest does its own echo, as QEMU's {@code -nographic} console does. Does nothing when Pogo's
 * input is not a terminal (scripts, tests).
 */
final class RawTerminal implements AutoCloseable {

    private static final File TTY = new File("/dev/tty");

    private final String saved;

    private RawTerminal(String saved) {
        this.saved = saved;
    }

    /** Whether Pogo's input is a terminal (not a script, a pipe or a test's stream). */
    static boolean isTerminal() {
        return System.console() != null && System.console().isTerminal() && TTY.exists();
    }

    static RawTerminal enter() {
        if (!isTerminal()) {
            return new RawTerminal(null);
        }
        try {
            String saved = stty("-g").strip();
            stty("raw", "-echo");
            return new RawTerminal(saved);
        } catch (IOException e) {
            return new RawTerminal(null);
        }
    }

    @Override
    public void close() {
        if (saved != null) {
            try {
                stty(saved);
            } catch (IOException e) {
                System.err.println("pogo: could not restore the terminal (type 'stty sane'): " + e.getMessage());
            }
        }
    }

    private static String stty(String... arguments) throws IOException {
        String[] command = new String[arguments.length + 1];
        command[0] = "stty";
        System.arraycopy(arguments, 0, command, 1, arguments.length);
        Process process = new ProcessBuilder(command).redirectInput(TTY).start();
        try {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            if (process.waitFor() != 0) {
                throw new IOException("stty " + String.join(" ", arguments) + " failed");
            }
            return output;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
