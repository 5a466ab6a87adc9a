package io.pogo.api.device;

import org.osgi.annotation.versioning.ConsumerType;

/** A register file in guest-physical address space. Offsets are relative to the device's window. */
@ConsumerType
public interface MmioDevice {

    /** Reads {@code size} (1, 2, 4 or 8) bytes; unmapped registers read as zero. */
    long read(long offset, int size);

    /** Writes {@code size} bytes; writes to unmapped or read-only registers are ignored. */
    void write(long offset, int size, long value);
}
