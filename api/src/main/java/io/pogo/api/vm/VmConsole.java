package io.pogo.api.vm;

import java.time.Duration;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The user's side of a VM's console. Output is a stream of bytes numbered from 0; readers keep their own position,
 * so any number of them (a shell session, a test, {@code pogo run}) can follow it on their own threads.
 */
@ProviderType
public interface VmConsole {

    /** What the guest printed so far (the most recent 1 MiB). */
    String transcript();

    /** The position just past the last byte printed so far. */
    long end();

    /**
     * Copies output from {@code position} on into {@code buffer}, waiting up to {@code timeout} when there is
     * none yet (not once the VM is over: none will come). Output older than the transcript keeps is skipped.
     */
    ConsoleRead read(long position, byte[] buffer, Duration timeout) throws InterruptedException;

    /** Queues keyboard input for the guest. */
    void type(byte[] input);

    /** The result of {@link #read}: {@code length} bytes were copied; continue reading at {@code next}. */
    record ConsoleRead(int length, long next) {
    }
}
