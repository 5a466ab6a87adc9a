package io.pogo.blk;

import io.pogo.api.allocator.RateGate;
import io.pogo.api.state.HostResources;
import io.pogo.api.state.StateInput;
import io.pogo.api.state.StateOutput;
import io.pogo.api.state.Stateful;
import io.pogo.virtio.ConfigSpace;
import io.pogo.virtio.DescriptorChain;
import io.pogo.virtio.RetryTimer;
import io.pogo.virtio.VirtioDevice;
import io.pogo.virtio.Virtqueue;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A virtio block device (virtio 1.1, section 5.2) on a raw image: reads, writes, flushes that return only once the
 * data is on stable storage, and the device ID. Requests are served on the notifying vCPU's thread, one at a time,
 * and only while the image is this VM's ({@link HostResources}) and the device is not quiesced: until then they
 * wait in the queue.
 */
final class VirtioBlk implements VirtioDevice, Stateful, HostResources {

    static final int DEVICE_ID = 2;
    static final long F_SEG_MAX = 1L << 2;
    static final long F_RO = 1L << 5;
    static final long F_BLK_SIZE = 1L << 6;
    static final long F_FLUSH = 1L << 9;
    static final int SECTOR = 512;
    static final int T_IN = 0;
    static final int T_OUT = 1;
    static final int T_FLUSH = 4;
    static final int T_GET_ID = 8;
    static final int S_OK = 0;
    static final int S_IOERR = 1;
    static final int S_UNSUPP = 2;
    static final int ID_BYTES = 20;
    private static final int HEADER = 16;
    /** Segments per request: the queue less the header and status descriptors, as QEMU offers. */
    private static final int SEG_MAX = Virtqueue.MAX_SIZE - 2;

    private final DiskImage image;
    private final RateGate limit;
    private final RetryTimer retry;
    private final byte[] config;
    private final byte[] id;
    private volatile Virtqueue requests;
    /** A request the rate limit held back, served first when its tokens have come in. */
    private DescriptorChain held;
    private boolean retryPending;
    /** Whether the image is locked for this VM. */
    private boolean holding;
    private boolean quiesced;
    /** A notification came while requests had to wait: the queue is served once they may go. */
    private boolean waiting;

    /** @param limit the VM's disk limit, asked before each request */
    VirtioBlk(DiskImage image, RateGate limit) {
        this.image = image;
        this.limit = limit;
        this.retry = new RetryTimer("pogo-blk-limit " + image.path().getFileName());
        this.config = ByteBuffer.allocate(36).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(0, image.size() / SECTOR)
                .putInt(12, SEG_MAX)
                .putInt(20, SECTOR)
                .array();
        String name = image.path().getFileName().toString();
        this.id = Arrays.copyOf(name.getBytes(StandardCharsets.US_ASCII), ID_BYTES);
    }

    @Override
    public int deviceId() {
        return DEVICE_ID;
    }

    @Override
    public long features() {
        return F_SEG_MAX | F_BLK_SIZE | F_FLUSH | (image.readOnly() ? F_RO : 0);
    }

    @Override
    public int queueCount() {
        return 1;
    }

    @Override
    public long readConfig(int offset, int size) {
        return ConfigSpace.read(config, offset, size);
    }

    @Override
    public void writeConfig(int offset, int size, long value) {
    }

    @Override
    public void activate(long negotiatedFeatures, List<Virtqueue> queues) {
        requests = queues.getFirst();
    }

    /**
     * Serves requests in order while the disk limit lets them through. When it does not, the request is held,
     * nothing after it is taken, and the queue is served again once the tokens are in: a disk request is delayed,
     * never dropped.
     */
    @Override
    public synchronized void queueNotified(int queue) {
        Virtqueue virtqueue = requests;
        if (virtqueue == null || retryPending) {
            return;
        }
        if (!holding || quiesced) {
            waiting = true;
            return;
        }
        for (Optional<DescriptorChain> chain = next(virtqueue); chain.isPresent(); chain = next(virtqueue)) {
            String broken = missingHeaders(chain.get());
            if (broken != null) {
                virtqueue.reject(chain.get(), broken);
                return;
            }
            long wait = limit.take(dataBytes(chain.get()));
            if (wait > 0) {
                held = chain.get();
                retryPending = true;
                retry.after(wait, this::retryHeld);
                return;
            }
            virtqueue.complete(chain.get(), serve(chain.get()));
        }
    }

    private synchronized void retryHeld() {
        retryPending = false;
        queueNotified(0);
    }

    private Optional<DescriptorChain> next(Virtqueue virtqueue) {
        DescriptorChain chain = held;
        held = null;
        return chain != null ? Optional.of(chain) : virtqueue.poll();
    }

    /** The bytes a request moves between the guest and the image, which the byte bucket is charged. */
    private static long dataBytes(DescriptorChain chain) {
        ByteBuffer header = ByteBuffer.wrap(new byte[HEADER]).order(ByteOrder.LITTLE_ENDIAN);
        chain.read(0, header.array(), 0, HEADER);
        return switch (header.getInt(0)) {
            case T_IN -> chain.writableLength() - 1;
            case T_OUT -> chain.readableLength() - HEADER;
            default -> 0;
        };
    }

    /**
     * Why a request without room for its header or its status byte breaks the device, as in QEMU
     * (virtio_blk_handle_request's virtio_error): it is not completed, and the device waits for a reset. Null when
     * the request has both.
     */
    private static String missingHeaders(DescriptorChain chain) {
        if (chain.readableLength() == 0 || chain.writableLength() == 0) {
            return "virtio-blk missing headers";
        }
        return chain.readableLength() < HEADER ? "virtio-blk request outhdr too short" : null;
    }

    /** Carries out one request; returns the bytes written into the chain, status included. */
    private int serve(DescriptorChain chain) {
        ByteBuffer header = ByteBuffer.wrap(new byte[HEADER]).order(ByteOrder.LITTLE_ENDIAN);
        chain.read(0, header.array(), 0, HEADER);
        int type = header.getInt(0);
        long sector = header.getLong(8);
        int statusAt = chain.writableLength() - 1;
        int dataWritten = 0;
        int status;
        try {
            switch (type) {
                case T_IN -> {
                    dataWritten = statusAt;
                    status = read(chain, sector, statusAt);
                }
                case T_OUT -> status = write(chain, sector, chain.readableLength() - HEADER);
                case T_FLUSH -> {
                    image.flush();
                    status = S_OK;
                }
                case T_GET_ID -> {
                    dataWritten = chain.write(0, id, 0, Math.min(ID_BYTES, statusAt));
                    status = S_OK;
                }
                default -> status = S_UNSUPP;
            }
        } catch (IOException e) {
            status = S_IOERR;
        }
        chain.write(statusAt, new byte[] {(byte) status}, 0, 1);
        return (status == S_OK ? dataWritten : 0) + 1;
    }

    private int read(DescriptorChain chain, long sector, int length) throws IOException {
        if (!inImage(sector, length)) {
            return S_IOERR;
        }
        byte[] data = new byte[length];
        image.read(sector * SECTOR, data, length);
        chain.write(0, data, 0, length);
        return S_OK;
    }

    private int write(DescriptorChain chain, long sector, int length) throws IOException {
        if (image.readOnly() || !inImage(sector, length)) {
            return S_IOERR;
        }
        byte[] data = new byte[length];
        chain.read(HEADER, data, 0, length);
        image.write(sector * SECTOR, data, 0, length);
        return S_OK;
    }

    private boolean inImage(long sector, int length) {
        long sectors = image.size() / SECTOR;
        return length % SECTOR == 0 && sector >= 0 && sector <= sectors && (length / SECTOR) <= sectors - sector;
    }

    @Override
    public String stateType() {
        return "virtio-blk";
    }

    @Override
    public int stateVersion() {
        return 1;
    }

    /**
     * Requests are served whole on the notifying vCPU's thread, so none is in flight once the vCPUs are parked
     * (taking the lock waits for the last one) but one the disk limit holds: it is served now, past the limit. What
     * they wrote goes to stable storage, as a snapshot keeps the disk where it is rather than copying it.
     */
    @Override
    public synchronized void quiesce() {
        if (held != null) {
            requests.complete(held, serve(held));
            held = null;
        }
        try {
            image.flush();
        } catch (IOException e) {
            throw new IllegalStateException("flushing disk " + image.path() + " failed (" + e.getMessage() + ")");
        }
        quiesced = true;
    }

    @Override
    public synchronized void unquiesce() {
        quiesced = false;
        serveWaiting();
    }

    @Override
    public synchronized void acquire() {
        image.acquire();
        holding = true;
        serveWaiting();
    }

    /** Called quiesced, so no request is held back: the flush in {@link DiskImage#release} covers every write. */
    @Override
    public synchronized void release() {
        image.release();
        holding = false;
    }

    private void serveWaiting() {
        if (waiting && holding && !quiesced) {
            waiting = false;
            queueNotified(0);
        }
    }

    /** The disk's file and size, which a restore checks: the queue itself is the transport's. */
    @Override
    public void save(StateOutput out) {
        out.writeString(image.path().toString());
        out.writeLong(image.size());
    }

    @Override
    public void restore(StateInput in, int version) {
        String path = in.readString();
        long size = in.readLong();
        if (size != image.size()) {
            throw new IllegalArgumentException("disk " + path + " is " + image.size()
                    + " bytes now but was " + size + " bytes at the snapshot");
        }
    }

    @Override
    public synchronized void reset() {
        requests = null;
        held = null;
        waiting = false;
    }

    @Override
    public void close() {
        retry.close();
        image.close();
    }
}
