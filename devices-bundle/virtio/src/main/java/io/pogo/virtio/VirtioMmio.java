package io.pogo.virtio;

import io.pogo.api.device.Device;
import io.pogo.api.device.DeviceContext;
import io.pogo.api.device.DeviceTree;
import io.pogo.api.device.DtNode;
import io.pogo.api.device.DtProperty;
import io.pogo.api.device.DtValue;
import io.pogo.api.device.InterruptLine;
import io.pogo.api.device.MmioWindow;
import io.pogo.api.memory.GuestMemory;
import java.util.ArrayList;
import java.util.List;

/**
 * The virtio-mmio transport, version 2 (virtio 1.x, "modern"), as QEMU's virtio-mmio: identification, feature
 * negotiation with FEATURES_OK, queue setup, notification, the interrupt status with its acknowledgement, and the
 * device-specific configuration space at 0x100. What the guest does wrong never throws here: it sets
 * DEVICE_NEEDS_RESET and raises a configuration-change interrupt, and the device stays quiet until a reset.
 */
public final class VirtioMmio implements Device {

    /** Virtio 1.x: the driver must accept it, or FEATURES_OK is refused. */
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

    private static final int MAGIC_VALUE = 0x000;
    private static final int VERSION = 0x004;
    private static final int DEVICE_ID = 0x008;
    private static final int VENDOR_ID = 0x00c;
    private static final int DEVICE_FEATURES = 0x010;
    private static final int DEVICE_FEATURES_SEL = 0x014;
    private static final int DRIVER_FEATURES = 0x020;
    private static final int DRIVER_FEATURES_SEL = 0x024;
    private static final int QUEUE_SEL = 0x030;
    private static final int QUEUE_NUM_MAX = 0x034;
    private static final int QUEUE_NUM = 0x038;
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
    private static final int CONFIG_GENERATION = 0x0fc;
    private static final int CONFIG = 0x100;

    private final VirtioDevice device;
    private final InterruptLine irq;
    private final MmioWindow window;
    private final List<Virtqueue> queues = new ArrayList<>();
    private final long offered;
    private long driverFeatures;
    private int deviceFeaturesSelect;
    private int driverFeaturesSelect;
    private int queueSelect;
    private int status;
    private int interruptStatus;
    private int configGeneration;
    private String failure = "";

    public VirtioMmio(DeviceContext context, VirtioDevice device) {
        this(context.memory(), context.interruptLine(), context.window(), device);
    }

    VirtioMmio(GuestMemory memory, InterruptLine irq, MmioWindow window, VirtioDevice device) {
        this.device = device;
        this.irq = irq;
        this.window = window;
        this.offered = device.features() & 0xff_ffffL | F_VERSION_1 | F_INDIRECT_DESC;
        for (int queue = 0; queue < device.queueCount(); queue++) {
            queues.add(new Virtqueue(this, memory));
        }
    }

    /** QEMU's node for a virtio-mmio slot. */
    @Override
    public void describe(DeviceTree tree) {
        long base = window.base();
        tree.addDevice(new DtNode("virtio_mmio@" + Long.toHexString(base), List.of(
                new DtProperty("interrupts", new DtValue.Cells(irq.number())),
                new DtProperty("interrupt-parent", new DtValue.Cells(tree.interruptParent())),
                new DtProperty("reg", new DtValue.Cells((int) (base >>> 32), (int) base, (int) (window.size() >>> 32),
                        (int) window.size())),
                new DtProperty("compatible", new DtValue.Strings("virtio,mmio"))), List.of()));
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
                case VERSION -> 2;
                case DEVICE_ID -> device.deviceId();
                case VENDOR_ID -> VENDOR;
                case DEVICE_FEATURES -> deviceFeaturesSelect > 1 ? 0 : offered >>> (32 * deviceFeaturesSelect) & 0xffff_ffffL;
                case QUEUE_NUM_MAX -> selected() == null ? 0 : Virtqueue.MAX_SIZE;
                case QUEUE_NUM -> selected() == null ? 0 : selected().size();
                case QUEUE_READY -> selected() != null && selected().isReady() ? 1 : 0;
                case INTERRUPT_STATUS -> interruptStatus;
                case STATUS -> status;
                case QUEUE_DESC_LOW -> selected() == null ? 0 : selected().descriptors() & 0xffff_ffffL;
                case QUEUE_DESC_HIGH -> selected() == null ? 0 : selected().descriptors() >>> 32;
                case QUEUE_DRIVER_LOW -> selected() == null ? 0 : selected().driverArea() & 0xffff_ffffL;
                case QUEUE_DRIVER_HIGH -> selected() == null ? 0 : selected().driverArea() >>> 32;
                case QUEUE_DEVICE_LOW -> selected() == null ? 0 : selected().deviceArea() & 0xffff_ffffL;
                case QUEUE_DEVICE_HIGH -> selected() == null ? 0 : selected().deviceArea() >>> 32;
                case CONFIG_GENERATION -> configGeneration;
                default -> 0;
            };
        }
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
            default -> writeRegister((int) offset, data);
        }
    }

    private synchronized void writeRegister(int offset, int data) {
        long word = data & 0xffff_ffffL;
        Virtqueue queue = selected();
        switch (offset) {
            case DEVICE_FEATURES_SEL -> deviceFeaturesSelect = data;
            case DRIVER_FEATURES_SEL -> driverFeaturesSelect = data;
            case DRIVER_FEATURES -> {
                if (driverFeaturesSelect <= 1 && (status & STATUS_FEATURES_OK) == 0) {
                    long mask = 0xffff_ffffL << (32 * driverFeaturesSelect);
                    driverFeatures = driverFeatures & ~mask | word << (32 * driverFeaturesSelect);
                }
            }
            case QUEUE_SEL -> queueSelect = data;
            case INTERRUPT_ACK -> {
                interruptStatus &= ~data;
                updateLine();
            }
            default -> {
                if (queue != null && !queue.isReady()) {
                    configureQueue(queue, offset, word);
                } else if (queue != null && offset == QUEUE_READY && data == 0) {
                    queue.disable();
                }
            }
        }
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
                    String problem = queue.enable((driverFeatures & F_INDIRECT_DESC) != 0);
                    if (problem != null) {
                        malformed(problem);
                    }
                }
            }
            default -> { }
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
                if ((next & STATUS_FEATURES_OK) != 0 && (status & STATUS_FEATURES_OK) == 0 && !featuresAcceptable()) {
                    next &= ~STATUS_FEATURES_OK;
                }
                activate = (next & STATUS_DRIVER_OK) != 0 && (status & STATUS_DRIVER_OK) == 0
                        && (next & STATUS_FEATURES_OK) != 0 && !needsReset();
                status = next | status & STATUS_NEEDS_RESET;
            }
        }
        if (reset) {
            guarded(device::reset);
        } else if (activate) {
            guarded(() -> device.activate(driverFeatures, List.copyOf(queues)));
        }
    }

    private boolean featuresAcceptable() {
        return (driverFeatures & ~offered) == 0 && (driverFeatures & F_VERSION_1) != 0;
    }

    private void notifyQueue(int index) {
        synchronized (this) {
            if ((status & STATUS_DRIVER_OK) == 0 || needsReset() || index < 0 || index >= queues.size()
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
            malformed("device error: " + e);
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
        failure = "";
        updateLine();
    }

    private Virtqueue selected() {
        return queueSelect >= 0 && queueSelect < queues.size() ? queues.get(queueSelect) : null;
    }

    synchronized boolean needsReset() {
        return (status & STATUS_NEEDS_RESET) != 0;
    }

    /** Why the device needs a reset, empty while it does not. */
    public synchronized String failure() {
        return failure;
    }

    synchronized void usedBuffers() {
        interruptStatus |= INTERRUPT_USED_BUFFER;
        updateLine();
    }

    synchronized void malformed(String reason) {
        if (needsReset()) {
            return;
        }
        failure = reason;
        status |= STATUS_NEEDS_RESET;
        queues.forEach(Virtqueue::disable);
        configGeneration++;
        interruptStatus |= INTERRUPT_CONFIG_CHANGE;
        updateLine();
    }

    private void updateLine() {
        irq.setLevel(interruptStatus != 0);
    }

    @Override
    public void close() {
        synchronized (this) {
            queues.forEach(Virtqueue::disable);
        }
        device.close();
    }
}
