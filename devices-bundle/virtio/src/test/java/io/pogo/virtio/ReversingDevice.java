package io.pogo.virtio;

import java.util.List;

/** Answers every chain with its readable bytes reversed, as a device that transforms requests would. */
final class ReversingDevice implements VirtioDevice {

    /** The device-type feature bit it offers. */
    static final long FEATURE = 1L << 3;

    private List<Virtqueue> queues = List.of();
    int resets;
    int activations;
    long negotiated;

    @Override
    public int deviceId() {
        return 42;
    }

    @Override
    public long features() {
        return FEATURE;
    }

    @Override
    public int queueCount() {
        return 1;
    }

    @Override
    public long readConfig(int offset, int size) {
        return offset == 0 ? 0x1234_5678L & ((1L << (8 * size)) - 1) : 0;
    }

    @Override
    public void writeConfig(int offset, int size, long value) {
    }

    @Override
    public void activate(long negotiatedFeatures, List<Virtqueue> active) {
        negotiated = negotiatedFeatures;
        activations++;
        queues = active;
    }

    @Override
    public void queueNotified(int queue) {
        Virtqueue virtqueue = queues.get(queue);
        for (var chain = virtqueue.poll(); chain.isPresent(); chain = virtqueue.poll()) {
            byte[] in = chain.get().readAll();
            byte[] out = new byte[in.length];
            for (int i = 0; i < in.length; i++) {
                out[i] = in[in.length - 1 - i];
            }
            virtqueue.complete(chain.get(), chain.get().write(0, out, 0, out.length));
        }
    }

    @Override
    public void reset() {
        queues = List.of();
        resets++;
    }

    @Override
    public void close() {
    }
}
