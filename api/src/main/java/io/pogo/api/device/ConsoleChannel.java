package io.pogo.api.device;

import org.osgi.annotation.versioning.ProviderType;

/** The VM's console as a byte stream: output in order, input queued until the guest reads it. */
@ProviderType
public interface ConsoleChannel {

    void write(int b);

    /** The next input byte, or -1 when none is waiting. */
    int poll();

    /** Called from the input thread whenever bytes arrive. */
    void onInput(Runnable listener);
}
