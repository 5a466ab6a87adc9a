package io.pogo.net;

import io.pogo.api.allocator.RateGate;
import io.pogo.api.state.StateInput;
import io.pogo.api.state.StateOutput;
import io.pogo.api.state.Stateful;
import io.pogo.virtio.ConfigSpace;
import io.pogo.virtio.DescriptorChain;
import io.pogo.virtio.RetryTimer;
import io.pogo.virtio.VirtioDevice;
import io.pogo.virtio.VirtioMmio;
import io.pogo.virtio.Virtqueue;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A virtio network card (virtio 1.1, section 5.1) plugged into a virtual switch: frames the guest transmits go to
 * the switch, frames the switch delivers fill the guest's receive buffers. Each frame carries a
 * {@code virtio_net_hdr}: 12 bytes, ending in num_buffers, once VIRTIO_F_VERSION_1 (or MRG_RXBUF) is negotiated,
 * the 10 bytes of legacy virtio otherwise. No offloads are offered, so the header is all zeros but for num_buffers.
 *
 * <p>After the VM moved to another host the card asks the guest to announce itself (VIRTIO_NET_F_GUEST_ANNOUNCE):
 * it sets VIRTIO_NET_S_ANNOUNCE in the status and raises a configuration-change interrupt; Linux then sends
 * gratuitous ARPs, so switches and peers learn where its MAC lives now, and acknowledges on the control queue
 * (VIRTIO_NET_CTRL_ANNOUNCE_ACK), which clears the bit, as QEMU's virtio-net does. The control queue answers every
 * other command with VIRTIO_NET_ERR: no feature that needs one is offered.
 */
final class VirtioNet implements VirtioDevice, SwitchPort, Stateful {

    static final int DEVICE_ID = 1;
    static final long F_MAC = 1L << 5;
    static final long F_MRG_RXBUF = 1L << 15;
    static final long F_STATUS = 1L << 16;
    static final long F_CTRL_VQ = 1L << 17;
    static final long F_GUEST_ANNOUNCE = 1L << 21;
    static final int HEADER = 12;
    static final int LEGACY_HEADER = 10;
    static final int RECEIVE_QUEUE = 0;
    static final int TRANSMIT_QUEUE = 1;
    static final int CONTROL_QUEUE = 2;
    private static final int LINK_UP = 1;
    private static final int ANNOUNCE = 2;
    static final int CTRL_ANNOUNCE = 3;
    static final int CTRL_ANNOUNCE_ACK = 0;
    static final byte CTRL_OK = 0;
    static final byte CTRL_ERR = 1;
    /** Frames kept while the guest has no receive buffers posted; beyond that, frames are dropped as a NIC does. */
    private static final int BACKLOG = 256;
    /**
     * The largest frame a NIC sends (a 64 KiB jumbo frame, as the UDP link carries): a longer chain is completed
     * and dropped, as a real NIC drops an oversized frame, so a guest cannot make the host copy its whole RAM.
     */
    static final int MAX_FRAME = 0xFFFF;

    /** Given, or derived from the process; a restore brings the saved one, which the guest's driver already uses. */
    private volatile MacAddress mac;
    private final VirtualSwitch network;
    private final String name;
    private final RateGate limit;
    private final RetryTimer retry;
    private final ArrayDeque<byte[]> backlog = new ArrayDeque<>();
    private final Object receiving = new Object();
    private final Object transmitting = new Object();
    private volatile List<Virtqueue> queues = List.of();
    private volatile int headerLength = HEADER;
    private volatile long negotiated;
    private volatile boolean announcing;
    private Runnable configChanged = () -> { };
    /** While a snapshot is taken, frames that arrive wait in the backlog instead of entering guest RAM. */
    private boolean held;
    /** A transmitted chain the rate limit held back, sent first when its tokens have come in. */
    private DescriptorChain heldTransmit;
    /** A receive buffer taken for a frame the rate limit held back, filled first when its tokens have come in. */
    private DescriptorChain heldReceive;
    private boolean transmitRetryPending;
    private boolean receiveRetryPending;

    /** @param limit the VM's network limit, asked before each frame in either direction */
    VirtioNet(MacAddress mac, VirtualSwitch network, String name, RateGate limit) {
        this.mac = mac;
        this.network = network;
        this.name = name;
        this.limit = limit;
        this.retry = new RetryTimer("pogo-net-limit " + name);
    }

    /** How the card tells the transport its configuration space changed on its own. */
    void notifyConfigChangesTo(Runnable transport) {
        this.configChanged = transport;
    }

    /**
     * Asks the guest to announce itself; a driver that did not accept VIRTIO_NET_F_GUEST_ANNOUNCE is not asked.
     *
     * @return whether the guest was asked
     */
    boolean announce() {
        if (queues.isEmpty() || (negotiated & F_GUEST_ANNOUNCE) == 0) {
            return false;
        }
        announcing = true;
        configChanged.run();
        return true;
    }

    MacAddress mac() {
        return mac;
    }

    String name() {
        return name;
    }

    @Override
    public String describe() {
        return name + " " + mac;
    }

    @Override
    public int deviceId() {
        return DEVICE_ID;
    }

    @Override
    public long features() {
        return F_MAC | F_STATUS | F_CTRL_VQ | F_GUEST_ANNOUNCE;
    }

    /** Receive, transmit, and the control queue, which a driver without VIRTIO_NET_F_CTRL_VQ leaves unused. */
    @Override
    public int queueCount() {
        return 3;
    }

    /** mac[6] then status: the link is always up, and ANNOUNCE is set while an announcement is asked for. */
    @Override
    public long readConfig(int offset, int size) {
        byte[] config = Arrays.copyOf(mac.bytes(), 8);
        config[6] = (byte) (LINK_UP | (announcing ? ANNOUNCE : 0));
        return ConfigSpace.read(config, offset, size);
    }

    @Override
    public void writeConfig(int offset, int size, long value) {
    }

    @Override
    public void activate(long negotiatedFeatures, List<Virtqueue> active) {
        headerLength = (negotiatedFeatures & (VirtioMmio.F_VERSION_1 | F_MRG_RXBUF)) != 0 ? HEADER : LEGACY_HEADER;
        negotiated = negotiatedFeatures;
        queues = active;
        fillReceiveBuffers();
    }

    @Override
    public void queueNotified(int queue) {
        switch (queue) {
            case RECEIVE_QUEUE -> fillReceiveBuffers();
            case TRANSMIT_QUEUE -> transmit();
            case CONTROL_QUEUE -> control();
            default -> { }
        }
    }

    /**
     * Control commands: a two-byte header (class, command) and its data, then one writable byte for the answer.
     * Linux waits for the answer on the vCPU that sent the command, so it is given at once.
     */
    private void control() {
        List<Virtqueue> active = queues;
        if (active.size() <= CONTROL_QUEUE) {
            return;
        }
        Virtqueue controlQueue = active.get(CONTROL_QUEUE);
        for (Optional<DescriptorChain> chain = controlQueue.poll(); chain.isPresent(); chain = controlQueue.poll()) {
            byte[] header = new byte[2];
            int read = chain.get().read(0, header, 0, 2);
            if (chain.get().writableLength() < 1) {
                controlQueue.complete(chain.get(), 0);
                continue;
            }
            byte answer = read == 2 && header[0] == CTRL_ANNOUNCE && header[1] == CTRL_ANNOUNCE_ACK && announcing
                    ? CTRL_OK : CTRL_ERR;
            if (answer == CTRL_OK) {
                announcing = false;
            }
            chain.get().write(0, new byte[] {answer}, 0, 1);
            controlQueue.complete(chain.get(), 1);
        }
    }

    /**
     * Frames leave the guest under the transmit lock and enter the switch outside it, so two NICs never deadlock.
     * A frame the network limit holds back stays in its chain, and the queue is served again when the tokens are in.
     */
    private void transmit() {
        List<byte[]> frames = new ArrayList<>();
        synchronized (transmitting) {
            List<Virtqueue> active = queues;
            if (active.isEmpty() || transmitRetryPending) {
                return;
            }
            Virtqueue transmitQueue = active.get(TRANSMIT_QUEUE);
            for (Optional<DescriptorChain> chain = nextTransmit(transmitQueue); chain.isPresent();
                    chain = nextTransmit(transmitQueue)) {
                int length = chain.get().readableLength() - headerLength;
                long wait = limit.take(Math.max(length, 0));
                if (wait > 0) {
                    heldTransmit = chain.get();
                    transmitRetryPending = true;
                    retry.after(wait, this::retryTransmit);
                    break;
                }
                sendFrom(transmitQueue, chain.get(), frames);
            }
        }
        frames.forEach(frame -> network.forward(this, frame));
    }

    /** Takes the frame out of a transmitted chain (one too short or too long is dropped) and gives the chain back. */
    private void sendFrom(Virtqueue transmitQueue, DescriptorChain chain, List<byte[]> frames) {
        int length = chain.readableLength() - headerLength;
        if (length > 0 && length <= MAX_FRAME) {
            byte[] frame = new byte[length];
            chain.read(headerLength, frame, 0, length);
            frames.add(frame);
        }
        transmitQueue.complete(chain, 0);
    }

    private Optional<DescriptorChain> nextTransmit(Virtqueue transmitQueue) {
        DescriptorChain chain = heldTransmit;
        heldTransmit = null;
        return chain != null ? Optional.of(chain) : transmitQueue.poll();
    }

    private void retryTransmit() {
        synchronized (transmitting) {
            transmitRetryPending = false;
        }
        transmit();
    }

    @Override
    public void deliver(byte[] frame) {
        synchronized (receiving) {
            if (backlog.size() == BACKLOG) {
                backlog.poll();
            }
            backlog.add(frame);
        }
        fillReceiveBuffers();
    }

    /** Frames wait in the backlog while the network limit holds them back, as they do for receive buffers. */
    private void fillReceiveBuffers() {
        synchronized (receiving) {
            List<Virtqueue> active = queues;
            if (active.isEmpty() || held || receiveRetryPending) {
                return;
            }
            Virtqueue receiveQueue = active.get(RECEIVE_QUEUE);
            int headerSize = headerLength;
            while (!backlog.isEmpty()) {
                Optional<DescriptorChain> buffer = heldReceive != null ? Optional.of(heldReceive) : receiveQueue.poll();
                heldReceive = null;
                if (buffer.isEmpty()) {
                    return;
                }
                long wait = limit.take(backlog.peek().length);
                if (wait > 0) {
                    heldReceive = buffer.get();
                    receiveRetryPending = true;
                    retry.after(wait, this::retryReceive);
                    return;
                }
                receiveInto(receiveQueue, buffer.get(), backlog.poll());
            }
        }
    }

    /** Fills a receive buffer with a frame; a buffer too small for it is given back empty and the frame dropped. */
    private void receiveInto(Virtqueue receiveQueue, DescriptorChain chain, byte[] frame) {
        int headerSize = headerLength;
        if (chain.writableLength() < headerSize + frame.length) {
            receiveQueue.complete(chain, 0);
            return;
        }
        chain.write(0, receiveHeader(headerSize), 0, headerSize);
        chain.write(headerSize, frame, 0, frame.length);
        receiveQueue.complete(chain, headerSize + frame.length);
    }

    private void retryReceive() {
        synchronized (receiving) {
            receiveRetryPending = false;
        }
        fillReceiveBuffers();
    }

    /** A header without offloads; the 12-byte one says the frame fills one buffer (num_buffers = 1). */
    private static byte[] receiveHeader(int size) {
        byte[] header = new byte[size];
        if (size == HEADER) {
            header[10] = 1;
        }
        return header;
    }

    @Override
    public String stateType() {
        return "virtio-net";
    }

    @Override
    public int stateVersion() {
        return 2;
    }

    /**
     * The switch's threads deliver frames at any time: from now on they only queue up. A chain the network limit
     * holds is served now, past the limit, since a snapshot carries no request in flight.
     */
    @Override
    public void quiesce() {
        List<byte[]> frames = new ArrayList<>();
        synchronized (transmitting) {
            if (heldTransmit != null) {
                sendFrom(queues.get(TRANSMIT_QUEUE), heldTransmit, frames);
                heldTransmit = null;
            }
        }
        frames.forEach(frame -> network.forward(this, frame));
        synchronized (receiving) {
            held = true;
            if (heldReceive != null) {
                receiveInto(queues.get(RECEIVE_QUEUE), heldReceive, backlog.poll());
                heldReceive = null;
            }
        }
    }

    @Override
    public void unquiesce() {
        synchronized (receiving) {
            held = false;
        }
        fillReceiveBuffers();
    }

    /** The frames received that the guest had no buffers for yet; the queues are the transport's. */
    @Override
    public void save(StateOutput out) {
        synchronized (receiving) {
            out.writeInt(backlog.size());
            backlog.forEach(out::writeBytes);
        }
        out.writeBytes(mac.bytes());
    }

    /**
     * The backlog and the MAC address back; then the card asks the guest to announce itself, since it may now sit
     * on another host's switch (after a migration, or a restore elsewhere), as QEMU's virtio-net announces after
     * loading a VM.
     */
    @Override
    public void restore(StateInput in, int version) {
        synchronized (receiving) {
            backlog.clear();
            for (int frames = in.readInt(); frames > 0; frames--) {
                byte[] frame = in.readBytes();
                if (backlog.size() < BACKLOG) {
                    backlog.add(frame);
                }
            }
        }
        byte[] saved = in.readBytes();
        if (saved.length != 6) {
            throw new IllegalArgumentException("the saved MAC address has " + saved.length + " bytes, not 6");
        }
        mac = MacAddress.of(saved, 0);
        fillReceiveBuffers();
        announce();
    }

    @Override
    public void reset() {
        synchronized (receiving) {
            synchronized (transmitting) {
                queues = List.of();
                heldTransmit = null;
                heldReceive = null;
                negotiated = 0;
                announcing = false;
            }
        }
    }

    @Override
    public void close() {
        retry.close();
        reset();
        network.detach(this);
    }
}
