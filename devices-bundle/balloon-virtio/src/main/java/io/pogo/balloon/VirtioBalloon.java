package io.pogo.balloon;

import io.pogo.api.allocator.MemoryBalloon;
import io.pogo.api.memory.GuestMemory;
import io.pogo.virtio.ConfigSpace;
import io.pogo.virtio.DescriptorChain;
import io.pogo.virtio.VirtioDevice;
import io.pogo.virtio.Virtqueue;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;

/**
 * A virtio memory balloon (virtio 1.1, section 5.5) as QEMU 7.2's virtio-balloon behaves for Linux's
 * virtio_balloon driver: the host names in num_pages how many 4 KiB pages the balloon should hold, the driver
 * inflates (gives pages) and deflates (takes them back) through two queues and reports the count in actual. Pages
 * given, and the free pages the driver reports (VIRTIO_BALLOON_F_REPORTING), go back to the host at once; a page
 * taken back is backed again when the guest next touches it. A page number outside guest RAM is ignored, as QEMU
 * ignores one that is not RAM. The statistics buffer is kept until the host wants a fresh report, and handed back
 * then, as QEMU's stats timer does.
 */
final class VirtioBalloon implements VirtioDevice, MemoryBalloon {

    static final int DEVICE_ID = 5;
    static final long F_STATS_VQ = 1L << 1;
    static final long F_REPORTING = 1L << 5;
    static final int INFLATE_QUEUE = 0;
    static final int DEFLATE_QUEUE = 1;
    static final int PAGE_SHIFT = 12;
    static final long PAGE = 1L << PAGE_SHIFT;
    static final int NUM_PAGES = 0;
    static final int ACTUAL = 4;
    /** num_pages and actual: QEMU's config space without free-page hinting and page poisoning. */
    static final int CONFIG_BYTES = 8;
    static final int STAT_MEMFREE = 4;
    static final int STAT_AVAILABLE = 6;
    private static final int STAT_BYTES = 10;
    /** The statistics read of one buffer: far more tags than virtio defines. */
    private static final int MAX_STATS_BYTES = 64 * STAT_BYTES;
    /** Page numbers are read this many bytes at a time, so a huge chain costs time, never host memory. */
    private static final int PFN_CHUNK = 4096;
    /**
     * Linux reports up to 32 free blocks of up to 4 MiB in one chain (128 MiB); the device copies none of it, and
     * reads page-number arrays in chunks, so chains may describe up to this much.
     */
    static final int MAX_CHAIN_BYTES = 1 << 30;

    private final GuestMemory memory;
    private final boolean reporting;
    private final Consumer<MemoryBalloon> detach;
    private final byte[] config = new byte[CONFIG_BYTES];
    private volatile Runnable configChanged = () -> { };
    private List<Virtqueue> queues = List.of();
    private int statsQueue = -1;
    private int reportingQueue = -1;
    private DescriptorChain heldStats;
    private long memFree = -1;
    private long memAvailable = -1;

    /** @param detach tells the allocator the balloon is gone, when the VM closes its devices */
    VirtioBalloon(GuestMemory memory, boolean reporting, Consumer<MemoryBalloon> detach) {
        this.memory = memory;
        this.reporting = reporting;
        this.detach = detach;
    }

    /** How the device tells the driver that num_pages changed: the transport's configuration-change interrupt. */
    void notifyConfigThrough(Runnable interrupt) {
        configChanged = interrupt;
    }

    @Override
    public int deviceId() {
        return DEVICE_ID;
    }

    @Override
    public long features() {
        return F_STATS_VQ | (reporting ? F_REPORTING : 0);
    }

    @Override
    public int maxChainBytes() {
        return MAX_CHAIN_BYTES;
    }

    /** Inflate, deflate, statistics and, when offered, reporting: the queues Linux numbers in that order. */
    @Override
    public int queueCount() {
        return reporting ? 4 : 3;
    }

    @Override
    public synchronized long readConfig(int offset, int size) {
        return ConfigSpace.read(config, offset, size);
    }

    /** Only actual is the driver's to write; num_pages is the host's. */
    @Override
    public synchronized void writeConfig(int offset, int size, long value) {
        for (int i = 0; i < size; i++) {
            int at = offset + i;
            if (at >= ACTUAL && at < CONFIG_BYTES) {
                config[at] = (byte) (value >>> 8 * i);
            }
        }
    }

    /**
     * Linux asks only for the queues of the features it accepted and numbers them densely (virtio_mmio's
     * find_vqs skips the ones it does not want), so the statistics and reporting queues move down when an earlier
     * one is missing.
     */
    @Override
    public synchronized void activate(long negotiatedFeatures, List<Virtqueue> active) {
        queues = active;
        int next = DEFLATE_QUEUE + 1;
        statsQueue = (negotiatedFeatures & F_STATS_VQ) != 0 ? next++ : -1;
        reportingQueue = (negotiatedFeatures & F_REPORTING) != 0 ? next : -1;
        heldStats = null;
    }

    @Override
    public synchronized void queueNotified(int queue) {
        if (queue >= queues.size()) {
            return;
        }
        Virtqueue virtqueue = queues.get(queue);
        for (Optional<DescriptorChain> chain = virtqueue.poll(); chain.isPresent(); chain = virtqueue.poll()) {
            if (queue == INFLATE_QUEUE) {
                inflate(chain.get());
                virtqueue.complete(chain.get(), 0);
            } else if (queue == statsQueue) {
                takeStatistics(virtqueue, chain.get());
            } else if (queue == reportingQueue) {
                chain.get().writableRanges().forEach(range -> memory.discard(range.address(), range.length()));
                virtqueue.complete(chain.get(), 0);
            } else {
                virtqueue.complete(chain.get(), 0);
            }
        }
    }

    /**
     * The chain is an array of little-endian 32-bit page numbers (a torn last one is ignored, as QEMU does); runs of
     * neighbouring pages go back at once.
     */
    private void inflate(DescriptorChain chain) {
        ByteBuffer pfns = ByteBuffer.allocate(PFN_CHUNK).order(ByteOrder.LITTLE_ENDIAN);
        long runStart = -1;
        long runEnd = -1;
        int whole = chain.readableLength() / Integer.BYTES * Integer.BYTES;
        for (int position = 0; position < whole; position += PFN_CHUNK) {
            int length = chain.read(position, pfns.array(), 0, Math.min(PFN_CHUNK, whole - position));
            for (int at = 0; at < length; at += Integer.BYTES) {
                long address = Integer.toUnsignedLong(pfns.getInt(at)) << PAGE_SHIFT;
                if (!memory.contains(address, PAGE)) {
                    continue;
                }
                if (address != runEnd) {
                    discard(runStart, runEnd);
                    runStart = address;
                }
                runEnd = address + PAGE;
            }
        }
        discard(runStart, runEnd);
    }

    private void discard(long start, long end) {
        if (start >= 0) {
            memory.discard(start, end - start);
        }
    }

    /**
     * Keeps the driver's buffer of (le16 tag, le64 value) pairs, to hand back when fresh numbers are wanted. A driver
     * that sends another while one is held gets the held one back, as QEMU returns it.
     */
    private void takeStatistics(Virtqueue virtqueue, DescriptorChain chain) {
        if (heldStats != null) {
            virtqueue.complete(heldStats, 0);
        }
        byte[] bytes = new byte[Math.min(chain.readableLength(), MAX_STATS_BYTES)];
        chain.read(0, bytes, 0, bytes.length);
        ByteBuffer stats = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        while (stats.remaining() >= STAT_BYTES) {
            int tag = Short.toUnsignedInt(stats.getShort());
            long value = stats.getLong();
            switch (tag) {
                case STAT_MEMFREE -> memFree = value;
                case STAT_AVAILABLE -> memAvailable = value;
                default -> { }
            }
        }
        heldStats = chain;
    }

    @Override
    public long guestBytes() {
        return memory.size();
    }

    @Override
    public void target(long bytes) {
        long pages = Math.clamp(bytes >> PAGE_SHIFT, 0, memory.size() >> PAGE_SHIFT);
        synchronized (this) {
            ByteBuffer.wrap(config).order(ByteOrder.LITTLE_ENDIAN).putInt(NUM_PAGES, (int) pages);
        }
        configChanged.run();
    }

    @Override
    public synchronized long targetBytes() {
        return Integer.toUnsignedLong(ByteBuffer.wrap(config).order(ByteOrder.LITTLE_ENDIAN).getInt(NUM_PAGES))
                << PAGE_SHIFT;
    }

    @Override
    public synchronized long balloonedBytes() {
        long pages = Integer.toUnsignedLong(ByteBuffer.wrap(config).order(ByteOrder.LITTLE_ENDIAN).getInt(ACTUAL));
        return Math.min(pages << PAGE_SHIFT, memory.size());
    }

    /**
     * The guest's available memory (free memory when it reports no such figure) from its last report; asks for
     * the next report by handing its buffer back.
     */
    @Override
    public synchronized OptionalLong guestFreeBytes() {
        if (heldStats != null) {
            queues.get(statsQueue).complete(heldStats, 0);
            heldStats = null;
        }
        long free = memAvailable >= 0 ? memAvailable : memFree;
        return free >= 0 ? OptionalLong.of(free) : OptionalLong.empty();
    }

    @Override
    public synchronized void reset() {
        queues = List.of();
        statsQueue = -1;
        reportingQueue = -1;
        heldStats = null;
        ByteBuffer.wrap(config).order(ByteOrder.LITTLE_ENDIAN).putInt(ACTUAL, 0);
    }

    @Override
    public void close() {
        reset();
        detach.accept(this);
    }
}
