package io.pogo.virtio;

import java.util.List;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * The device-type half of a virtio device (block, network, ...); the transport does the rest. The transport calls
 * these methods without holding its own lock, possibly from several vCPU threads at once.
 */
@ConsumerType
public interface VirtioDevice extends AutoCloseable {

    /** The virtio device ID: 1 for a network card, 2 for a block device, ... */
    int deviceId();

    /** The device-type feature bits offered (bits 0 to 23); the transport adds its own. */
    long features();

    int queueCount();

    /**
     * The most bytes one descriptor chain may describe: a bound on what a guest can make the device copy. A device
     * that acts on the guest's pages without copying them (a balloon's free-page reports) may take more.
     *
     * @since 1.4
     */
    default int maxChainBytes() {
        return Virtqueue.MAX_CHAIN_BYTES;
    }

    /** Reads the device-specific configuration space (little-endian); bytes past its end read as zero. */
    long readConfig(int offset, int size);

    /** Writes to the configuration space; read-only fields ignore it. */
    void writeConfig(int offset, int size, long value);

    /** The driver set DRIVER_OK: from now on the device serves {@code queues} (indexed by queue number). */
    void activate(long negotiatedFeatures, List<Virtqueue> queues);

    /** The driver made buffers available on queue {@code queue}. */
    void queueNotified(int queue);

    /** The driver reset the device (or the device needs a reset): drop every queue and request in flight. */
    void reset();

    /** Releases the backend; the VM is gone. */
    @Override
    void close();
}
