package io.pogo.virtio;

import io.pogo.api.device.Device;
import io.pogo.api.device.DeviceContext;
import io.pogo.api.device.DeviceTree;
import io.pogo.api.device.InterruptLine;
import io.pogo.api.device.MmioWindow;
import io.pogo.api.memory.GuestMemory;
import io.pogo.api.state.HostResources;
import io.pogo.api.state.StateInput;
import io.pogo.api.state.StateOutput;
import io.pogo.api.state.Stateful;
import java.util.ArrayList;
import java.util.List;

/**
 * The virtio-mmio transport as QEMU 7.2's virtio-mmio, in either register layout (see {@link TransportVersion}):
 * identification, feature negotiation, queue setup, notification, the interrupt status with its acknowledgement,
 * and the device-specific configuration space at 0x100 (little-endian, which is also the legacy guest-native order
 * on RISC-V). Modern: FEATURES_OK, per-queue ring addresses and QueueReady. Legacy: GuestPageSize, QueueAlign and
 * QueuePFN with contiguous rings, features taken as written, no FEATURES_OK needed. Registers of the other layout
 * read as zero and ignore writes, as in QEMU.
 *
 * <p>What the guest does wrong never throws here: the device stays quiet until a reset, and when the driver
 * accepted VIRTIO_F_VERSION_1 it also sets DEVICE_NEEDS_RESET and raises a configuration-change interrupt (QEMU's
 * virtio_error; a legacy driver has no such bit to look at).
 */
public final class VirtioMmio implements Device, Stateful, HostResources {

    /** Virtio 1.x; offered by the modern transport only. */
    public static final long F_VERSION_1 = 1L << 32;
    public static final long F_INDIRECT_DESC = 1L << 28;

    static final int MAGIC = 0x7472_6976;
    /** "QEMU", the vendor ID QEMU's devices report. */
    static final int VENDOR = 0x554d_4551;
    static final int STATUS_ACKNOWLEDGE = 1;
    static final int STATUS_DRIVER = 2;
    static final int STATUS_DRIVER_OK = 4;
    static final int STATUS_FEATURES_OK = 8;
    static final int STATUS_NEEDS_RESET = 0x40;
    static final int STATUS_FAILED = 0x80;
    static final int INTERRUPT_USED_BUFFER = 1;
    static final int INTERRUPT_CONFIG_CHANGE = 2;
    /** What the shared-memory length registers read: QEMU's "no such region". */
    static final long NO_SHARED_MEMORY = 0xffff_ffffL;

    private static final int MAGIC_VALUE = 0x000;
    private static final int VERSION = 0x004;
    private static final int DEVICE_ID = 0x008;
    private static final int VENDOR_ID = 0x00c;
    private static final int DEVICE_FEATURES = 0x010;
    private static final int DEVICE_FEATURES_SEL = 0x014;
    private static final int DRIVER_FEATURES = 0x020;
    private static final int DRIVER_FEATURES_SEL = 0x024;
    private static final int GUEST_PAGE_SIZE = 0x028;
    private static final int QUEUE_SEL = 0x030;
    private static final int QUEUE_NUM_MAX = 0x034;
    private static final int QUEUE_NUM = 0x038;
    private static final int QUEUE_ALIGN = 0x03c;
    private static final int QUEUE_PFN = 0x040;
    private static final int QUEUE_READY = 0x044;
    private static final int QUEUE_NOTIFY = 0x050;
    private static final int INTERRUPT_STATUS = 0x060;
    private static final int INTERRUPT_ACK = 0x064;
    private static final int STATUS = 0x070;
    private static final int QUEUE_DESC_LOW = 0x080;
    private static final int QUEUE_DESC_HIGH = 0x084;
    private static final int QUEUE_DRIVER_LOW = 0x090;
    private static final int QUEUE_DRIVER_HIGH = 0x094;
    private static final int QUEUE_DEVICE_LOW = 0x0a0;
    private static final int QUEUE_DEVICE_HIGH = 0x0a4;
    private static final int SHM_LEN_LOW = 0x0b0;
    private static final int SHM_LEN_HIGH = 0x0b4;
    private static final int CONFIG_GENERATION = 0x0fc;
    private static final int CONFIG = 0x100;

    private final VirtioDevice device;
    private final InterruptLine irq;
    private final MmioWindow window;
    private final TransportVersion version;
    private final List<Virtqueue> queues = new ArrayList<>();
    private final long offered;
    private long driverFeatures;
    private int deviceFeaturesSelect;
    private int driverFeaturesSelect;
    private int queueSelect;
    /** Legacy only; like QEMU, a device reset keeps it (Linux writes GuestPageSize before its first reset). */
    private int guestPageShift;
    private int status;
    private int interruptStatus;
    private int configGeneration;
    private boolean broken;
    private String failure = "";

    /** The transport {@code legacy=on|off} in the device's options asks for. */
    public VirtioMmio(DeviceContext context, VirtioDevice device) {
        this(context, device, TransportVersion.of("--device", context.options()));
    }

    public VirtioMmio(DeviceContext context, VirtioDevice device, TransportVersion version) {
        this(context.memory(), context.interruptLine(), context.window(), device, version);
    }

    VirtioMmio(GuestMemory memory, InterruptLine irq, MmioWindow window, VirtioDevice device,
               TransportVersion version) {
        this.device = device;
        this.irq = irq;
        this.window = window;
        this.version = version;
        this.offered = device.features() & 0xff_ffffL | F_INDIRECT_DESC
                | (version == TransportVersion.MODERN ? F_VERSION_1 : 0);
        for (int queue = 0; queue < device.queueCount(); queue++) {
            queues.add(new Virtqueue(this, memory, device.maxChainBytes()));
        }
    }

    @Override
    public void describe(DeviceTree tree) {
        VirtioMmioNode.describe(tree, window, irq.number());
    }

    @Override
    public long read(long offset, int size) {
        if (offset >= CONFIG) {
            return device.readConfig((int) (offset - CONFIG), size);
        }
        if (size != 4) {
            return 0;
        }
        synchronized (this) {
            return switch ((int) offset) {
                case MAGIC_VALUE -> MAGIC;
                case VERSION -> version.number();
                case DEVICE_ID -> device.deviceId();
                case VENDOR_ID -> VENDOR;
                case DEVICE_FEATURES -> offered >>> (32 * deviceFeaturesSelect) & 0xffff_ffffL;
                case QUEUE_NUM_MAX -> selected() == null ? 0 : Virtqueue.MAX_SIZE;
                case INTERRUPT_STATUS -> interruptStatus;
                case STATUS -> status;
                case SHM_LEN_LOW, SHM_LEN_HIGH -> NO_SHARED_MEMORY;
                default -> version == TransportVersion.LEGACY ? readLegacy((int) offset) : readModern((int) offset);
            };
        }
    }

    private long readLegacy(int offset) {
        Virtqueue queue = selected();
        return offset == QUEUE_PFN && queue != null ? queue.descriptors() >>> guestPageShift & 0xffff_ffffL : 0;
    }

    private long readModern(int offset) {
        if (offset == CONFIG_GENERATION) {
            return configGeneration;
        }
        Virtqueue queue = selected();
        if (queue == null) {
            return 0;
        }
        return switch (offset) {
            case QUEUE_NUM -> queue.size();
            case QUEUE_READY -> queue.isReady() ? 1 : 0;
            case QUEUE_DESC_LOW -> queue.descriptors() & 0xffff_ffffL;
            case QUEUE_DESC_HIGH -> queue.descriptors() >>> 32;
            case QUEUE_DRIVER_LOW -> queue.driverArea() & 0xffff_ffffL;
            case QUEUE_DRIVER_HIGH -> queue.driverArea() >>> 32;
            case QUEUE_DEVICE_LOW -> queue.deviceArea() & 0xffff_ffffL;
            case QUEUE_DEVICE_HIGH -> queue.deviceArea() >>> 32;
            default -> 0;
        };
    }

    @Override
    public void write(long offset, int size, long value) {
        if (offset >= CONFIG) {
            guarded(() -> device.writeConfig((int) (offset - CONFIG), size, value));
            return;
        }
        if (size != 4) {
            return;
        }
        int data = (int) value;
        switch ((int) offset) {
            case QUEUE_NOTIFY -> notifyQueue(data);
            case STATUS -> writeStatus(data);
            case QUEUE_PFN -> {
                // QEMU: a legacy driver writing a zero PFN resets the whole device
                if (version == TransportVersion.LEGACY && data == 0) {
                    writeStatus(0);
                } else {
                    writeRegister(QUEUE_PFN, data);
                }
            }
            default -> writeRegister((int) offset, data);
        }
    }

    private synchronized void writeRegister(int offset, int data) {
        long word = data & 0xffff_ffffL;
        Virtqueue queue = selected();
        switch (offset) {
            case DEVICE_FEATURES_SEL -> deviceFeaturesSelect = data == 0 ? 0 : 1;
            case DRIVER_FEATURES_SEL -> driverFeaturesSelect = data == 0 ? 0 : 1;
            case DRIVER_FEATURES -> writeDriverFeatures(word);
            case GUEST_PAGE_SIZE -> {
                if (version == TransportVersion.LEGACY) {
                    guestPageShift = pageShift(data);
                }
            }
            case QUEUE_SEL -> queueSelect = data;
            case INTERRUPT_ACK -> {
                interruptStatus &= ~data;
                updateLine();
            }
            default -> {
                if (queue == null) {
                    return;
                }
                if (version == TransportVersion.LEGACY) {
                    configureLegacyQueue(queue, offset, word);
                } else if (!queue.isReady()) {
                    configureQueue(queue, offset, word);
                } else if (offset == QUEUE_READY && data == 0) {
                    queue.disable();
                }
            }
        }
    }

    /** QEMU takes the lowest set bit of GuestPageSize, and a page "size" of zero as shift 0. */
    private static int pageShift(int pageSize) {
        int shift = Integer.numberOfTrailingZeros(pageSize);
        return shift > 31 ? 0 : shift;
    }

    /**
     * Modern drivers write both words and commit them with FEATURES_OK; a legacy driver's word 0 is its features
     * at once, cut down to what is offered (QEMU's virtio_set_features). Neither changes after FEATURES_OK.
     */
    private void writeDriverFeatures(long word) {
        if ((status & STATUS_FEATURES_OK) != 0) {
            return;
        }
        if (version == TransportVersion.LEGACY) {
            if (driverFeaturesSelect == 0) {
                driverFeatures = word & offered;
            }
            return;
        }
        long mask = 0xffff_ffffL << (32 * driverFeaturesSelect);
        driverFeatures = driverFeatures & ~mask | word << (32 * driverFeaturesSelect);
    }

    private void configureQueue(Virtqueue queue, int offset, long word) {
        switch (offset) {
            case QUEUE_NUM -> queue.setSize((int) word);
            case QUEUE_DESC_LOW -> queue.setDescriptors(queue.descriptors() & ~0xffff_ffffL | word);
            case QUEUE_DESC_HIGH -> queue.setDescriptors(queue.descriptors() & 0xffff_ffffL | word << 32);
            case QUEUE_DRIVER_LOW -> queue.setDriverArea(queue.driverArea() & ~0xffff_ffffL | word);
            case QUEUE_DRIVER_HIGH -> queue.setDriverArea(queue.driverArea() & 0xffff_ffffL | word << 32);
            case QUEUE_DEVICE_LOW -> queue.setDeviceArea(queue.deviceArea() & ~0xffff_ffffL | word);
            case QUEUE_DEVICE_HIGH -> queue.setDeviceArea(queue.deviceArea() & 0xffff_ffffL | word << 32);
            case QUEUE_READY -> {
                if (word == 1) {
                    report(queue.enable(indirectNegotiated()));
                }
            }
            default -> { }
        }
    }

    /**
     * A legacy queue is live from its first nonzero PFN on; QueueNum and QueueAlign may come before or after it
     * and lay the rings out again, as QEMU's virtio_queue_update_rings does.
     */
    private void configureLegacyQueue(Virtqueue queue, int offset, long word) {
        switch (offset) {
            case QUEUE_NUM -> queue.setSize((int) word);
            case QUEUE_ALIGN -> {
                // QEMU ignores a zero alignment
                if (word == 0) {
                    return;
                }
                queue.setLegacyAlign(word);
            }
            case QUEUE_PFN -> queue.setDescriptors(word << guestPageShift);
            default -> {
                return;
            }
        }
        if (queue.descriptors() != 0) {
            report(queue.enableLegacy(indirectNegotiated()));
        }
    }

    private boolean indirectNegotiated() {
        return (driverFeatures & F_INDIRECT_DESC) != 0;
    }

    private void report(String problem) {
        if (problem != null) {
            malformed(problem);
        }
    }

    private void writeStatus(int data) {
        boolean reset;
        boolean activate;
        synchronized (this) {
            reset = data == 0;
            if (reset) {
                resetTransport();
                activate = false;
            } else {
                int next = data & 0xff;
                boolean legacy = version == TransportVersion.LEGACY;
                if (!legacy && (next & STATUS_FEATURES_OK) != 0 && (status & STATUS_FEATURES_OK) == 0
                        && !featuresAcceptable()) {
                    next &= ~STATUS_FEATURES_OK;
                }
                activate = (next & STATUS_DRIVER_OK) != 0 && (status & STATUS_DRIVER_OK) == 0
                        && (legacy || (next & STATUS_FEATURES_OK) != 0) && !broken;
                status = next | status & STATUS_NEEDS_RESET;
            }
        }
        if (reset) {
            guarded(device::reset);
        } else if (activate) {
            guarded(() -> device.activate(driverFeatures, List.copyOf(queues)));
        }
    }

    /**
     * Anything offered may be accepted, VIRTIO_F_VERSION_1 included or not: QEMU validates features only once
     * VERSION_1 is negotiated, and a driver that writes only feature word 0 (as xv6-riscv's does) still gets
     * FEATURES_OK and a device without virtio 1.x semantics.
     */
    private boolean featuresAcceptable() {
        return (driverFeatures & ~offered) == 0;
    }

    private void notifyQueue(int index) {
        synchronized (this) {
            if ((status & STATUS_DRIVER_OK) == 0 || broken || index < 0 || index >= queues.size()
                    || !queues.get(index).isReady()) {
                return;
            }
        }
        guarded(() -> device.queueNotified(index));
    }

    /** A fault in the device model must not take the host down: it becomes the guest's problem, as a reset. */
    private void guarded(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            malformed("device error: " + (e.getMessage() == null ? "internal error in the device model"
                    : e.getMessage()));
        }
    }

    private void resetTransport() {
        queues.forEach(Virtqueue::reset);
        driverFeatures = 0;
        deviceFeaturesSelect = 0;
        driverFeaturesSelect = 0;
        queueSelect = 0;
        status = 0;
        interruptStatus = 0;
        broken = false;
        failure = "";
        updateLine();
    }

    private Virtqueue selected() {
        return queueSelect >= 0 && queueSelect < queues.size() ? queues.get(queueSelect) : null;
    }

    /** The guest broke the device's rules: it serves nothing until a reset. */
    synchronized boolean broken() {
        return broken;
    }

    /** Why the device needs a reset, empty while it does not. */
    public synchronized String failure() {
        return failure;
    }

    /**
     * The device changed its configuration space on its own (a balloon's new target, a NIC asking to be announced):
     * the driver is told by a configuration-change interrupt once it is up (virtio 1.1, 4.2.2.1), as QEMU's
     * virtio_notify_config does.
     *
     * @since 1.4
     */
    public synchronized void configChanged() {
        if ((status & STATUS_DRIVER_OK) == 0) {
            return;
        }
        configGeneration++;
        interruptStatus |= INTERRUPT_CONFIG_CHANGE;
        updateLine();
    }

    synchronized void usedBuffers() {
        interruptStatus |= INTERRUPT_USED_BUFFER;
        updateLine();
    }

    synchronized void malformed(String reason) {
        if (broken) {
            return;
        }
        broken = true;
        failure = reason;
        queues.forEach(Virtqueue::disable);
        if ((driverFeatures & F_VERSION_1) != 0) {
            status |= STATUS_NEEDS_RESET;
            configGeneration++;
            interruptStatus |= INTERRUPT_CONFIG_CHANGE;
            updateLine();
        }
    }

    private void updateLine() {
        irq.setLevel(interruptStatus != 0);
    }

    @Override
    public String stateType() {
        return "virtio-mmio";
    }

    @Override
    public int stateVersion() {
        return 1;
    }

    /** Requests are served on the notifying vCPU's thread; what else the device does on its own threads stops. */
    @Override
    public void quiesce() {
        if (device instanceof Stateful stateful) {
            stateful.quiesce();
        }
    }

    @Override
    public void unquiesce() {
        if (device instanceof Stateful stateful) {
            stateful.unquiesce();
        }
    }

    /** What the virtio device holds of the host exclusively; the transport holds nothing. */
    @Override
    public void acquire() {
        if (device instanceof HostResources resources) {
            resources.acquire();
        }
    }

    @Override
    public void release() {
        if (device instanceof HostResources resources) {
            resources.release();
        }
    }

    /**
     * The transport's registers and each queue's rings and indexes, then the device's own state after its type and
     * version. A device that does not implement {@link Stateful} cannot be saved.
     */
    @Override
    public void save(StateOutput out) {
        if (!(device instanceof Stateful stateful)) {
            throw new IllegalStateException("its virtio device (ID " + device.deviceId()
                    + ") does not save its state");
        }
        synchronized (this) {
            out.writeInt(version.number());
            out.writeLong(driverFeatures);
            out.writeInt(deviceFeaturesSelect);
            out.writeInt(driverFeaturesSelect);
            out.writeInt(queueSelect);
            out.writeInt(guestPageShift);
            out.writeInt(status);
            out.writeInt(interruptStatus);
            out.writeInt(configGeneration);
            out.writeBoolean(broken);
            out.writeString(failure);
            out.writeInt(queues.size());
            queues.forEach(queue -> queue.save(out));
        }
        out.writeString(stateful.stateType());
        out.writeInt(stateful.stateVersion());
        stateful.save(out);
    }

    /** A driver that was running gets its device activated again on the restored queues, then its state back. */
    @Override
    public void restore(StateInput in, int version) {
        if (!(device instanceof Stateful stateful)) {
            throw new IllegalArgumentException("its virtio device (ID " + device.deviceId()
                    + ") does not restore state");
        }
        boolean active;
        synchronized (this) {
            int transport = in.readInt();
            if (transport != this.version.number()) {
                throw new IllegalArgumentException("the snapshot's virtio-mmio transport is version " + transport
                        + ", this one " + this.version.number());
            }
            driverFeatures = in.readLong();
            deviceFeaturesSelect = in.readInt();
            driverFeaturesSelect = in.readInt();
            queueSelect = in.readInt();
            guestPageShift = in.readInt();
            status = in.readInt();
            interruptStatus = in.readInt();
            configGeneration = in.readInt();
            broken = in.readBoolean();
            failure = in.readString();
            int count = in.readInt();
            if (count != queues.size()) {
                throw new IllegalArgumentException("the snapshot's virtio device has " + count + " queues, this one "
                        + queues.size());
            }
            queues.forEach(queue -> queue.restore(in));
            active = (status & STATUS_DRIVER_OK) != 0 && !broken;
        }
        String type = in.readString();
        int deviceVersion = in.readInt();
        if (!type.equals(stateful.stateType()) || !stateful.readsVersion(deviceVersion)) {
            throw new IllegalArgumentException("the snapshot holds version " + deviceVersion + " of " + type
                    + " state where this Pogo has " + stateful.stateType() + " version " + stateful.stateVersion());
        }
        if (active) {
            device.activate(driverFeatures, List.copyOf(queues));
        }
        stateful.restore(in, deviceVersion);
        synchronized (this) {
            updateLine();
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            queues.forEach(Virtqueue::disable);
        }
        device.close();
    }
}
