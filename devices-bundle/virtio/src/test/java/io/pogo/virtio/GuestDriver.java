package io.pogo.virtio;

import io.pogo.api.device.MmioDevice;
import io.pogo.api.memory.GuestMemory;
import java.util.Arrays;

/**
 * A virtio driver as a guest runs it, for tests: negotiates through the MMIO registers, lays queues and
 * descriptors out in guest RAM and notifies. Queue {@code q} lives at {@code RINGS + q * 0x4000}: a modern queue
 * with its three rings one page apart, a legacy queue laid out contiguously from there.
 */
public final class GuestDriver {

    public static final long RAM = 0x8000_0000L;
    public static final long RINGS = RAM + 0x10000;
    public static final int QUEUE_SIZE = 8;
    public static final int F_NEXT = 1;
    public static final int F_WRITE = 2;
    public static final int F_INDIRECT = 4;
    public static final int PAGE = 4096;

    private final MmioDevice transport;
    private final GuestMemory memory;
    private final int[] nextAvailable = new int[4];
    private final int[] nextUsed = new int[4];
    private boolean legacy;

    public GuestDriver(MmioDevice transport, GuestMemory memory) {
        this.transport = transport;
        this.memory = memory;
    }

    public int reg(int offset) {
        return (int) transport.read(offset, 4);
    }

    public void setReg(int offset, long value) {
        transport.write(offset, 4, value);
    }

    /** The Linux sequence: reset, ACKNOWLEDGE, DRIVER, features, FEATURES_OK, queues, DRIVER_OK. */
    public void start(long features, int queues) {
        legacy = false;
        setReg(0x70, 0);
        setReg(0x70, 1);
        setReg(0x70, 3);
        setReg(0x24, 0);
        setReg(0x20, features & 0xffff_ffffL);
        setReg(0x24, 1);
        setReg(0x20, features >>> 32);
        setReg(0x70, 11);
        for (int queue = 0; queue < queues; queue++) {
            setReg(0x30, queue);
            setReg(0x38, QUEUE_SIZE);
            setReg(0x80, descriptors(queue));
            setReg(0x84, 0);
            setReg(0x90, available(queue));
            setReg(0x94, 0);
            setReg(0xa0, used(queue));
            setReg(0xa4, 0);
            setReg(0x44, 1);
            nextAvailable[queue] = 0;
            nextUsed[queue] = 0;
        }
        setReg(0x70, 15);
    }

    /**
     * The sequence of Linux's legacy virtio_mmio: GuestPageSize at probe (before the first reset), reset,
     * ACKNOWLEDGE, DRIVER, feature word 0, per queue QueueNum, QueueAlign and QueuePFN, then DRIVER_OK without
     * FEATURES_OK.
     */
    public void startLegacy(long features, int queues) {
        useLegacyRings();
        setReg(0x28, PAGE);
        setReg(0x70, 0);
        setReg(0x70, 1);
        setReg(0x70, 3);
        setReg(0x24, 0);
        setReg(0x20, features & 0xffff_ffffL);
        for (int queue = 0; queue < queues; queue++) {
            setReg(0x30, queue);
            setReg(0x38, QUEUE_SIZE);
            setReg(0x3c, PAGE);
            memory.write(descriptors(queue), new byte[2 * PAGE], 0, 2 * PAGE);
            setReg(0x40, descriptors(queue) / PAGE);
        }
        setReg(0x70, 7);
    }

    /** For tests that set legacy queues up register by register: rings laid out as legacy, counted from zero. */
    public void useLegacyRings() {
        legacy = true;
        Arrays.fill(nextAvailable, 0);
        Arrays.fill(nextUsed, 0);
    }

    public static long descriptors(int queue) {
        return RINGS + 0x4000L * queue;
    }

    /** Where the driver keeps the available ring; a legacy one follows the descriptor table. */
    public long available(int queue) {
        return legacy ? descriptors(queue) + 16L * QUEUE_SIZE : descriptors(queue) + 0x1000;
    }

    /** Where the driver expects the used ring; a legacy one starts at the page after the available ring. */
    public long used(int queue) {
        return legacy ? descriptors(queue) + PAGE : descriptors(queue) + 0x2000;
    }

    public void descriptor(int queue, int index, long address, long length, int flags, int next) {
        descriptor(descriptors(queue), index, address, length, flags, next);
    }

    public void descriptor(long table, int index, long address, long length, int flags, int next) {
        long at = table + 16L * index;
        memory.store(at, 8, address);
        memory.store(at + 8, 4, length);
        memory.store(at + 12, 2, flags);
        memory.store(at + 14, 2, next);
    }

    /** Offers the chain starting at {@code head} and notifies the device. */
    public void offer(int queue, int head) {
        long ring = available(queue);
        memory.store(ring + 4 + 2L * (nextAvailable[queue] % QUEUE_SIZE), 2, head);
        nextAvailable[queue]++;
        memory.store(ring + 2, 2, nextAvailable[queue]);
        setReg(0x50, queue);
    }

    /** The next used element {id, len}, or null when the device returned nothing new. */
    public long[] takeUsed(int queue) {
        long ring = used(queue);
        if ((memory.load(ring + 2, 2) & 0xffff) == (nextUsed[queue] & 0xffff)) {
            return null;
        }
        long element = ring + 4 + 8L * (nextUsed[queue] % QUEUE_SIZE);
        nextUsed[queue]++;
        return new long[] {memory.load(element, 4), memory.load(element + 4, 4)};
    }

    public byte[] bytes(long address, int length) {
        byte[] bytes = new byte[length];
        memory.read(address, bytes, 0, length);
        return bytes;
    }

    public void put(long address, byte[] bytes) {
        memory.write(address, bytes, 0, bytes.length);
    }
}
