package io.pogo.virtio.empty;

import io.pogo.api.device.Device;
import io.pogo.api.device.DeviceTree;
import io.pogo.api.device.MmioWindow;
import io.pogo.api.state.StateInput;
import io.pogo.api.state.StateOutput;
import io.pogo.api.state.Stateful;
import io.pogo.virtio.TransportVersion;
import io.pogo.virtio.VirtioMmioNode;

/**
 * A virtio-mmio slot with nothing plugged in, as QEMU 7.2's virtio-mmio answers without a backend: the magic value,
 * the version and the vendor ID identify a transport, every other register (device ID 0 included, so no driver
 * claims the slot) reads as zero, at any access size, and writes are ignored. It never raises its interrupt line.
 */
final class EmptyTransport implements Device, Stateful {

    private static final int MAGIC_VALUE = 0x000;
    private static final int VERSION = 0x004;
    private static final int VENDOR_ID = 0x00c;
    /** "virt" */
    private static final long MAGIC = 0x7472_6976L;
    /** "QEMU", the vendor ID QEMU's transports report. */
    private static final long VENDOR = 0x554d_4551L;

    private final MmioWindow window;
    private final int irq;
    private final TransportVersion version;

    EmptyTransport(MmioWindow window, int irq, TransportVersion version) {
        this.window = window;
        this.irq = irq;
        this.version = version;
    }

    @Override
    public void describe(DeviceTree tree) {
        VirtioMmioNode.describe(tree, window, irq);
    }

    /** QEMU answers an access of up to 4 bytes from the register at its offset and splits 8-byte ones in two. */
    @Override
    public long read(long offset, int size) {
        if (size == 8) {
            return register(offset) | register(offset + 4) << 32;
        }
        return register(offset) & (1L << 8 * size) - 1;
    }

    private long register(long offset) {
        return switch ((int) offset) {
            case MAGIC_VALUE -> MAGIC;
            case VERSION -> version.number();
            case VENDOR_ID -> VENDOR;
            default -> 0;
        };
    }

    @Override
    public void write(long offset, int size, long value) {
        // no backend: QEMU ignores every write
    }

    @Override
    public void close() {
        // nothing held
    }

    @Override
    public String stateType() {
        return "virtio-mmio-empty";
    }

    @Override
    public int stateVersion() {
        return 1;
    }

    /** An empty slot answers the same whatever happened: it has no state. */
    @Override
    public void save(StateOutput out) {
    }

    @Override
    public void restore(StateInput in, int version) {
    }
}
