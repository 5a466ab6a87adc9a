package io.pogo.launcher;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The last word on a throwable that no one caught, in any thread of the process. Failures inside one VM never get
 * here: the monitor fails that VM and the others run on. What does get here is the host itself: a JVM that ran
 * out of memory (or broke) cannot be trusted to go on, so the process ends with one line, at once, without
 * shutdown hooks that could themselves need memory or wait forever. Anything else is reported in one line.
 */
final class UncaughtFailures implements Thread.UncaughtExceptionHandler {

    /** Made up front: when the heap is exhausted, building the message could fail too. */
    private final byte[] exhausted = ("pogo: the host ran out of memory; exiting (give it a larger heap, for"
            + " example POGO_JAVA_OPTS=-Xmx4g)\n").getBytes(StandardCharsets.UTF_8);
    private final byte[] broken = "pogo: the Java virtual machine failed; exiting\n".getBytes(StandardCharsets.UTF_8);
    private final FileOutputStream stderr = new FileOutputStream(FileDescriptor.err);

    static void install() {
        Thread.setDefaultUncaughtExceptionHandler(new UncaughtFailures());
    }

    /**
     * Tells the kinds apart with {@code instanceof} alone: a pattern {@code switch} links its cases through a
     * bootstrap method at its first run, which allocates, and with the heap exhausted that threw a second
     * OutOfMemoryError out of this handler, which the JVM reported in a second line.
     */
    @Override
    public void uncaughtException(Thread thread, Throwable thrown) {
        if (thrown instanceof OutOfMemoryError) {
            exit(exhausted);
        } else if (thrown instanceof VirtualMachineError && !(thrown instanceof StackOverflowError)) {
            exit(broken);
        } else {
            System.err.println("pogo: internal error in thread " + thread.getName() + ": " + thrown);
        }
    }

    private void exit(byte[] message) {
        try {
            stderr.write(message);
        } catch (IOException unwritable) {
            // the status still says it
        } finally {
            Runtime.getRuntime().halt(Pogo.FAILURE);
        }
    }
}
