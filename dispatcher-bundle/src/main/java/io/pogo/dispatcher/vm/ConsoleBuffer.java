package io.pogo.dispatcher.vm;

import io.pogo.api.device.ConsoleChannel;
import io.pogo.api.vm.VmConsole;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Both ends of a VM's console: the guest's serial device writes and polls here, users read and type here.
 * Output keeps its order across harts; the most recent {@value #TRANSCRIPT_LIMIT} bytes stay readable. The
 * transcript grows to that limit as the guest writes, as most VMs write a few kilobytes: a shell of hundreds of VMs
 * would hold their limits in heap for nothing.
 */
public final class ConsoleBuffer implements ConsoleChannel, VmConsole {

    static final int TRANSCRIPT_LIMIT = 1 << 20;
    private static final int FIRST_TRANSCRIPT = 4096;

    /** Until it reaches the limit, it holds everything written from its start. */
    private byte[] transcript = new byte[FIRST_TRANSCRIPT];
    private long written;
    private int readersWaiting;
    /** Set once the VM is over: no output will come. */
    private boolean closed;
    private final ArrayDeque<Byte> input = new ArrayDeque<>();
    private volatile int pendingInput;
    private volatile Runnable inputListener = () -> { };

    @Override
    public synchronized void write(int b) {
        if (written == transcript.length && written < TRANSCRIPT_LIMIT) {
            transcript = Arrays.copyOf(transcript, Math.min(2 * transcript.length, TRANSCRIPT_LIMIT));
        }
        transcript[(int) (written++ % TRANSCRIPT_LIMIT)] = (byte) b;
        if (readersWaiting > 0) {
            notifyAll();
        }
    }

    /** Guest drivers poll for input all the time (the UART's line status): answer "none" without a lock. */
    @Override
    public int poll() {
        if (pendingInput == 0) {
            return -1;
        }
        synchronized (input) {
            Byte next = input.poll();
            pendingInput = input.size();
            return next == null ? -1 : next & 0xff;
        }
    }

    @Override
    public void onInput(Runnable listener) {
        inputListener = Objects.requireNonNull(listener);
    }

    @Override
    public synchronized String transcript() {
        int length = (int) Math.min(written, TRANSCRIPT_LIMIT);
        int start = (int) ((written - length) % TRANSCRIPT_LIMIT);
        byte[] text = new byte[length];
        int firstPart = Math.min(length, TRANSCRIPT_LIMIT - start);
        System.arraycopy(transcript, start, text, 0, firstPart);
        System.arraycopy(transcript, 0, text, firstPart, length - firstPart);
        return new String(text, StandardCharsets.UTF_8);
    }

    @Override
    public synchronized long end() {
        return written;
    }

    @Override
    public synchronized ConsoleRead read(long position, byte[] buffer, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (written <= position) {
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0 || closed) {
                return new ConsoleRead(0, position);
            }
            readersWaiting++;
            try {
                TimeUnit.NANOSECONDS.timedWait(this, remaining);
            } finally {
                readersWaiting--;
            }
        }
        long from = Math.max(position, written - TRANSCRIPT_LIMIT);
        int length = (int) Math.min(buffer.length, written - from);
        for (int i = 0; i < length; i++) {
            buffer[i] = transcript[(int) ((from + i) % TRANSCRIPT_LIMIT)];
        }
        return new ConsoleRead(length, from + length);
    }

    /**
     * The VM is over: readers waiting for output return at once, and so do later ones, instead of waiting out their
     * timeout (`pogo run` polls its console every 10 ms, and saw its VM's end only at the next poll).
     */
    public synchronized void close() {
        closed = true;
        notifyAll();
    }

    @Override
    public void type(byte[] bytes) {
        synchronized (input) {
            for (byte b : bytes) {
                input.add(b);
            }
            pendingInput = input.size();
        }
        inputListener.run();
    }
}
