package io.pogo.api.allocator;

import java.util.OptionalLong;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A VM's balloon device as the memory allocator drives it: the allocator names how much guest RAM the balloon
 * should hold, the guest's driver fills or empties it at its own pace, and the pages it holds go back to the host.
 *
 * @since 1.3
 */
@ConsumerType
public interface MemoryBalloon {

    /** The guest RAM the balloon's VM was configured with. */
    long guestBytes();

    /** Asks the guest to hold {@code bytes} of its RAM in the balloon (rounded down to whole 4 KiB pages). */
    void target(long bytes);

    /** The bytes the guest has asked for so far. */
    long targetBytes();

    /** The bytes the guest's driver says the balloon holds now. */
    long balloonedBytes();

    /** The guest's own count of its free memory, from its last statistics report; empty before the first. */
    OptionalLong guestFreeBytes();
}
