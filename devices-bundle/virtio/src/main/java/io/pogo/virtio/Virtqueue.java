package io.pogo.virtio;

import io.pogo.api.memory.GuestMemory;
import io.pogo.api.state.StateInput;
import io.pogo.api.state.StateOutput;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A split virtqueue in guest RAM: the driver offers descriptor chains through the available ring, the device
 * returns them through the used ring. Every chain is validated before a device sees it; a malformed one (a loop,
 * a buffer outside RAM, a length that overflows or exceeds the limits) puts the whole device into
 * DEVICE_NEEDS_RESET instead of touching anything. Safe to use from any thread.
 */
public final class Virtqueue {

    /** The most descriptors a queue may have; the size the transport offers. */
    public static final int MAX_SIZE = 256;
    /** The most bytes one chain may describe. */
    static final int MAX_CHAIN_BYTES = 1 << 26;
    /** The most descriptors an indirect table may hold. */
    static final int MAX_INDIRECT = 1024;
    /** The used-ring alignment of a legacy queue until the driver writes QueueAlign: QEMU's, a 4 KiB page. */
    static final long LEGACY_ALIGN = 4096;

    private static final int DESCRIPTOR_SIZE = 16;
    private static final int F_NEXT = 1;
    private static final int F_WRITE = 2;
    private static final int F_INDIRECT = 4;
    private static final int AVAIL_F_NO_INTERRUPT = 1;

    private final VirtioMmio transport;
    private final GuestMemory memory;
    private int size = MAX_SIZE;
    private long descriptors;
    private long driverArea;
    private long deviceArea;
    private long legacyAlign = LEGACY_ALIGN;
    private boolean ready;
    private boolean indirect;
    private int nextAvailable;
    private int nextUsed;
    private long epoch;

    Virtqueue(VirtioMmio transport, GuestMemory memory) {
        this.transport = transport;
        this.memory = memory;
    }

    /** The next chain the driver made available, or empty when there is none (or the device needs a reset). */
    public Optional<DescriptorChain> poll() {
        synchronized (transport) {
            if (!ready || transport.broken()) {
                return Optional.empty();
            }
            int availableIndex = (int) memory.load(driverArea + 2, 2);
            VarHandle.acquireFence();
            int outstanding = (availableIndex - nextAvailable) & 0xffff;
            if (outstanding == 0) {
                return Optional.empty();
            }
            if (outstanding > size) {
                return malformed("the available index ran " + outstanding + " ahead of a queue of " + size);
            }
            int head = (int) memory.load(driverArea + 4 + 2L * (nextAvailable % size), 2);
            nextAvailable = (nextAvailable + 1) & 0xffff;
            return walk(head);
        }
    }

    /**
     * The device found that {@code chain} breaks its device type's rules (QEMU's virtio_error): the chain is not
     * completed and the whole device waits for a reset, as for a chain this queue itself finds malformed.
     *
     * @since 1.3
     */
    public void reject(DescriptorChain chain, String reason) {
        malformed(reason + " (chain from descriptor " + chain.head() + ")");
    }

    /** Returns {@code chain} to the driver with {@code written} bytes written, and interrupts it unless it asked not to. */
    public void complete(DescriptorChain chain, int written) {
        synchronized (transport) {
            if (!ready || chain.epoch() != epoch) {
                return;
            }
            long element = deviceArea + 4 + 8L * (nextUsed % size);
            memory.store(element, 4, chain.head());
            memory.store(element + 4, 4, Math.min(written, chain.writableLength()));
            VarHandle.releaseFence();
            nextUsed = (nextUsed + 1) & 0xffff;
            memory.store(deviceArea + 2, 2, nextUsed);
            VarHandle.fullFence();
            if ((memory.load(driverArea, 2) & AVAIL_F_NO_INTERRUPT) == 0) {
                transport.usedBuffers();
            }
        }
    }

    private Optional<DescriptorChain> walk(int head) {
        List<long[]> segments = new ArrayList<>();
        long table = descriptors;
        int tableSize = size;
        int index = head;
        int visited = 0;
        boolean inIndirect = false;
        boolean writableSeen = false;
        long total = 0;
        int firstWritable = -1;
        while (true) {
            if (index >= tableSize) {
                return malformed("descriptor " + index + " is outside a table of " + tableSize);
            }
            if (++visited > tableSize) {
                return malformed("the chain from descriptor " + head + " loops");
            }
            long descriptor = table + (long) DESCRIPTOR_SIZE * index;
            long address = memory.load(descriptor, 8);
            long length = memory.load(descriptor + 8, 4);
            int flags = (int) memory.load(descriptor + 12, 2);
            int next = (int) memory.load(descriptor + 14, 2);
            if ((flags & F_INDIRECT) != 0) {
                if (!indirect || inIndirect || (flags & F_NEXT) != 0) {
                    return malformed("indirect descriptor " + index + " is not allowed here");
                }
                if (length == 0 || length % DESCRIPTOR_SIZE != 0 || length / DESCRIPTOR_SIZE > MAX_INDIRECT
                        || !inRam(address, length)) {
                    return malformed("indirect table 0x%x+0x%x is invalid".formatted(address, length));
                }
                table = address;
                tableSize = (int) (length / DESCRIPTOR_SIZE);
                index = 0;
                visited = 0;
                inIndirect = true;
                continue;
            }
            if (length == 0) {
                return malformed("descriptor " + index + " is a zero-sized buffer (QEMU does not allow them either)");
            }
            if (!inRam(address, length)) {
                return malformed("buffer 0x%x+0x%x is not in guest RAM".formatted(address, length));
            }
            total += length;
            if (total > MAX_CHAIN_BYTES) {
                return malformed("the chain from descriptor " + head + " exceeds " + MAX_CHAIN_BYTES + " bytes");
            }
            boolean writable = (flags & F_WRITE) != 0;
            if (writableSeen && !writable) {
                return malformed("a device-readable buffer follows a writable one in chain " + head);
            }
            if (writable && !writableSeen) {
                writableSeen = true;
                firstWritable = segments.size();
            }
            segments.add(new long[] {address, length});
            if ((flags & F_NEXT) == 0) {
                break;
            }
            index = next;
        }
        long[] addresses = new long[segments.size()];
        int[] lengths = new int[segments.size()];
        for (int i = 0; i < segments.size(); i++) {
            addresses[i] = segments.get(i)[0];
            lengths[i] = (int) segments.get(i)[1];
        }
        return Optional.of(new DescriptorChain(memory, head, epoch, addresses, lengths,
                firstWritable < 0 ? segments.size() : firstWritable));
    }

    private boolean inRam(long address, long length) {
        return address + length >= address && memory.contains(address, length);
    }

    private Optional<DescriptorChain> malformed(String reason) {
        transport.malformed(reason);
        return Optional.empty();
    }

    int size() {
        return size;
    }

    void setSize(int size) {
        this.size = size;
    }

    long descriptors() {
        return descriptors;
    }

    long driverArea() {
        return driverArea;
    }

    long deviceArea() {
        return deviceArea;
    }

    void setDescriptors(long address) {
        descriptors = address;
    }

    void setDriverArea(long address) {
        driverArea = address;
    }

    void setDeviceArea(long address) {
        deviceArea = address;
    }

    boolean isReady() {
        return ready;
    }

    /**
     * Makes the queue live once its size and rings check out.
     *
     * @return why the queue cannot be used, or null when it is live
     */
    String enable(boolean indirectDescriptors) {
        if (!validSize()) {
            return sizeProblem();
        }
        if (descriptors % 16 != 0 || driverArea % 2 != 0 || deviceArea % 4 != 0
                || !inRam(descriptors, (long) DESCRIPTOR_SIZE * size) || !inRam(driverArea, 6 + 2L * size)
                || !inRam(deviceArea, 6 + 8L * size)) {
            return "the rings of a queue of " + size + " are misaligned or outside guest RAM";
        }
        indirect = indirectDescriptors;
        nextAvailable = 0;
        nextUsed = 0;
        ready = true;
        return null;
    }

    /**
     * Lays the rings out contiguously from the descriptor table as a legacy (version 1) driver does, then makes the
     * queue live: the available ring right after the table, the used ring at the next multiple of the alignment.
     * The used ring's place is QEMU's (the end of the available ring without its used_event field).
     *
     * @return why the queue cannot be used, or null when it is live
     */
    String enableLegacy(boolean indirectDescriptors) {
        if (!validSize()) {
            return sizeProblem();
        }
        if (!inRam(descriptors, (long) DESCRIPTOR_SIZE * size)) {
            return "the descriptor table of a queue of " + size + " is outside guest RAM";
        }
        driverArea = descriptors + (long) DESCRIPTOR_SIZE * size;
        long availableEnd = driverArea + 4 + 2L * size;
        deviceArea = Math.ceilDiv(availableEnd, legacyAlign) * legacyAlign;
        return enable(indirectDescriptors);
    }

    private boolean validSize() {
        return size > 0 && size <= MAX_SIZE && Integer.bitCount(size) == 1;
    }

    private String sizeProblem() {
        return "queue size " + Integer.toUnsignedString(size) + " is not a power of two up to " + MAX_SIZE;
    }

    /** The legacy QueueAlign, nonzero; as in QEMU, a device reset keeps it. */
    void setLegacyAlign(long align) {
        legacyAlign = align;
    }

    /** Forgets the queue, as after a device reset; chains handed out before are no longer completed. */
    void disable() {
        ready = false;
        epoch++;
    }

    /** Size, ring addresses and the indexes the device has reached; called under the transport's lock. */
    void save(StateOutput out) {
        out.writeInt(size);
        out.writeLong(descriptors);
        out.writeLong(driverArea);
        out.writeLong(deviceArea);
        out.writeLong(legacyAlign);
        out.writeBoolean(ready);
        out.writeBoolean(indirect);
        out.writeInt(nextAvailable);
        out.writeInt(nextUsed);
    }

    /** As {@link #save} wrote it; a ready queue is live again from where it stood, its rings checked as on enable. */
    void restore(StateInput in) {
        size = in.readInt();
        descriptors = in.readLong();
        driverArea = in.readLong();
        deviceArea = in.readLong();
        legacyAlign = in.readLong();
        ready = in.readBoolean();
        indirect = in.readBoolean();
        nextAvailable = in.readInt() & 0xffff;
        nextUsed = in.readInt() & 0xffff;
        epoch++;
        if (ready && (!validSize() || !inRam(descriptors, (long) DESCRIPTOR_SIZE * size)
                || !inRam(driverArea, 6 + 2L * size) || !inRam(deviceArea, 6 + 8L * size))) {
            throw new IllegalArgumentException("the snapshot's virtqueue lies outside guest RAM");
        }
    }

    void reset() {
        disable();
        size = MAX_SIZE;
        descriptors = 0;
        driverArea = 0;
        deviceArea = 0;
    }
}
