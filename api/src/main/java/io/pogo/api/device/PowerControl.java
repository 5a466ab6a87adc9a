package io.pogo.api.device;

import org.osgi.annotation.versioning.ProviderType;

/** Ends or restarts the whole VM. */
@ProviderType
public interface PowerControl {

    /** Powers the VM off; {@code status} becomes the exit status of {@code pogo run}. */
    void powerOff(int status);

    void reset();
}
