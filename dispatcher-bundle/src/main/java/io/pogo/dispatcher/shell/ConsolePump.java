package io.pogo.dispatcher.shell;

import io.pogo.api.vm.VmConsole;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * Connects a shell session's terminal to a VM's console. Runs on the session's own thread, because Gogo's
 * streams belong to it; keys are polled rather than read, so the pump never blocks past the VM's end.
 */
final class ConsolePump {

    /** Ctrl-] detaches, as in telnet and virsh. */
    static final int DETACH_KEY = 0x1d;
    private static final Duration POLL = Duration.ofMillis(10);
    /** How long a detaching console waits for its key thread, whose keyboard may ignore interrupts. */
    private static final Duration TYPIST_STOP = Duration.ofSeconds(1);

    private final VmConsole console;
    private final InputStream keyboard;
    private final PrintStream screen;
    private final byte[] buffer = new byte[4096];
    private long position;

    ConsolePump(VmConsole console, InputStream keyboard, PrintStream screen, long position) {
        this.console = console;
        this.keyboard = keyboard;
        this.screen = screen;
        this.position = position;
    }

    /**
     * Moves what was typed to the guest and what the guest printed to the screen, waiting briefly for output.
     *
     * @return false once the detach key was typed (when {@code detachable})
     */
    boolean step(boolean detachable) throws IOException, InterruptedException {
        int available = keyboard.available();
        if (available > 0) {
            byte[] keys = keyboard.readNBytes(Math.min(available, buffer.length));
            int detach = detachable ? indexOf(keys, DETACH_KEY) : -1;
            console.type(detach < 0 ? keys : Arrays.copyOf(keys, detach));
            if (detach >= 0) {
                drain();
                return false;
            }
        }
        VmConsole.ConsoleRead read = console.read(position, buffer, POLL);
        show(read);
        return true;
    }

    /**
     * Runs the console for input that is not a terminal (a script, a pipe) until the input ends or {@code over}
     * says the VM did: only a blocking read sees the end of input, so the keys go to the guest from a thread of
     * their own, which is interrupted (losing no byte: the shell's keyboard is a queue) when the VM ends first.
     *
     * @return true when the input ended
     */
    boolean pipe(BooleanSupplier over) throws InterruptedException {
        AtomicBoolean ended = new AtomicBoolean();
        Thread typist = Thread.ofVirtual().name("pogo-console-keys").start(() -> {
            byte[] keys = new byte[buffer.length];
            try {
                for (int n = keyboard.read(keys); n >= 0; n = keyboard.read(keys)) {
                    console.type(Arrays.copyOf(keys, n));
                }
                ended.set(true);
            } catch (InterruptedIOException stopped) {
                Thread.currentThread().interrupt();
            } catch (IOException unreadable) {
                ended.set(true);
            }
        });
        try {
            while (!ended.get() && !over.getAsBoolean()) {
                show(console.read(position, buffer, POLL));
            }
            drain();
        } finally {
            typist.interrupt();
            typist.join(TYPIST_STOP.toMillis());
        }
        return ended.get();
    }

    /** Shows whatever output is left, without waiting. */
    void drain() throws InterruptedException {
        for (VmConsole.ConsoleRead read = console.read(position, buffer, Duration.ZERO); read.length() > 0;
                read = console.read(position, buffer, Duration.ZERO)) {
            show(read);
        }
    }

    private void show(VmConsole.ConsoleRead read) {
        if (read.length() > 0) {
            screen.write(buffer, 0, read.length());
            screen.flush();
        }
        position = read.next();
    }

    private static int indexOf(byte[] bytes, int value) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == value) {
                return i;
            }
        }
        return -1;
    }
}
