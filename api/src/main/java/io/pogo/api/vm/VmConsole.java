package io.pogo.api.vm;

import java.io.OutputStream;
import org.osgi.annotation.versioning.ProviderType;

/** The user's side of a VM's console. */
@ProviderType
public interface VmConsole {

    /** What the guest printed so far (the most recent 1 MiB). */
    String transcript();

    /** Copies guest output to {@code out} from now on, replacing any earlier attachment. */
    void attach(OutputStream out);

    void detach();

    /** Queues keyboard input for the guest. */
    void type(byte[] input);
}
