package io.pogo.shell;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The process's standard input, read by one thread of its own and handed out from a queue. The shell reads its
 * command lines from it and {@code vm:console} the keys for a guest; unlike the file itself it can be read with a
 * timeout-free blocking read that an interrupt ends without losing a byte, and it reports end of input to a reader
 * that asks, so a console attached from a script detaches when the script ends.
 */
final class KeyboardInput extends InputStream {

    private static final byte[] END = new byte[0];

    private final BlockingQueue<byte[]> chunks = new LinkedBlockingQueue<>();
    private final AtomicInteger buffered = new AtomicInteger();
    private byte[] current = new byte[0];
    private int position;
    private boolean ended;

    private KeyboardInput() {
    }

    /** Starts copying {@code source} into a new queue on a daemon thread. */
    static KeyboardInput of(InputStream source) {
        KeyboardInput input = new KeyboardInput();
        Thread.ofPlatform().daemon().name("pogo-stdin").start(() -> input.copyFrom(source));
        return input;
    }

    private void copyFrom(InputStream source) {
        byte[] buffer = new byte[4096];
        try {
            for (int n = source.read(buffer); n >= 0; n = source.read(buffer)) {
                if (n > 0) {
                    buffered.addAndGet(n);
                    chunks.add(Arrays.copyOf(buffer, n));
                }
            }
        } catch (IOException e) {
            System.err.println("pogo: reading standard input: " + e.getMessage());
        } finally {
            chunks.add(END);
        }
    }

    @Override
    public synchronized int read() throws IOException {
        if (!fill()) {
            return -1;
        }
        buffered.decrementAndGet();
        return current[position++] & 0xFF;
    }

    @Override
    public synchronized int read(byte[] into, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        if (!fill()) {
            return -1;
        }
        int n = Math.min(length, current.length - position);
        System.arraycopy(current, position, into, offset, n);
        position += n;
        buffered.addAndGet(-n);
        return n;
    }

    /** Bytes that can be read without blocking. */
    @Override
    public int available() {
        return buffered.get();
    }

    /** A line without its terminator, or null at the end of input. */
    synchronized String readLine() {
        byte[] line = new byte[128];
        int length = 0;
        try {
            for (int b = read(); b != '\n'; b = read()) {
                if (b < 0) {
                    if (length == 0) {
                        return null;
                    }
                    break;
                }
                if (length == line.length) {
                    line = Arrays.copyOf(line, 2 * length);
                }
                line[length++] = (byte) b;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String text = new String(line, 0, length, StandardCharsets.UTF_8);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
    }

    /** Makes bytes available in {@link #current}; false at the end of input. Interruptible, losing nothing. */
    private boolean fill() throws InterruptedIOException {
        while (position == current.length) {
            if (ended) {
                return false;
            }
            try {
                current = chunks.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("keyboard read interrupted");
            }
            position = 0;
            ended = current == END;
        }
        return true;
    }
}
