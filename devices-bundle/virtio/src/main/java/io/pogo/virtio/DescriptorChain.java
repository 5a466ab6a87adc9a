package io.pogo.virtio;

import io.pogo.api.memory.GuestMemory;
import java.util.ArrayList;
import java.util.List;

/**
 * One validated descriptor chain: the device-readable buffers, then the device-writable ones, each seen as one
 * contiguous byte range. Every segment lies in guest RAM, so reading and writing never fail.
 */
public final class DescriptorChain {

    private final GuestMemory memory;
    private final int head;
    private final long epoch;
    private final long[] addresses;
    private final int[] lengths;
    private final int firstWritable;
    private final int readableLength;
    private final int writableLength;

    DescriptorChain(GuestMemory memory, int head, long epoch, long[] addresses, int[] lengths, int firstWritable) {
        this.memory = memory;
        this.head = head;
        this.epoch = epoch;
        this.addresses = addresses;
        this.lengths = lengths;
        this.firstWritable = firstWritable;
        this.readableLength = sum(0, firstWritable);
        this.writableLength = sum(firstWritable, lengths.length);
    }

    int head() {
        return head;
    }

    long epoch() {
        return epoch;
    }

    public int readableLength() {
        return readableLength;
    }

    public int writableLength() {
        return writableLength;
    }

    /**
     * The device-writable buffers as guest-physical ranges, for a device that acts on the guest's pages themselves
     * (a balloon's reported free pages) rather than on their bytes.
     *
     * @since 1.4
     */
    public List<GuestRange> writableRanges() {
        List<GuestRange> ranges = new ArrayList<>(lengths.length - firstWritable);
        for (int segment = firstWritable; segment < lengths.length; segment++) {
            ranges.add(new GuestRange(addresses[segment], lengths[segment]));
        }
        return ranges;
    }

    /** Every device-readable byte. */
    public byte[] readAll() {
        byte[] bytes = new byte[readableLength];
        read(0, bytes, 0, bytes.length);
        return bytes;
    }

    /** Copies up to {@code length} device-readable bytes from {@code position} on; returns how many. */
    public int read(int position, byte[] destination, int offset, int length) {
        return transfer(0, firstWritable, position, destination, offset, length, false);
    }

    /** Copies up to {@code length} bytes into the device-writable buffers from {@code position} on; returns how many. */
    public int write(int position, byte[] source, int offset, int length) {
        return transfer(firstWritable, lengths.length, position, source, offset, length, true);
    }

    private int transfer(int from, int to, int position, byte[] bytes, int offset, int length, boolean toGuest) {
        int done = 0;
        int skip = position;
        for (int segment = from; segment < to && done < length; segment++) {
            if (skip >= lengths[segment]) {
                skip -= lengths[segment];
                continue;
            }
            int count = Math.min(lengths[segment] - skip, length - done);
            long address = addresses[segment] + skip;
            if (toGuest) {
                memory.write(address, bytes, offset + done, count);
            } else {
                memory.read(address, bytes, offset + done, count);
            }
            done += count;
            skip = 0;
        }
        return done;
    }

    private int sum(int from, int to) {
        int total = 0;
        for (int segment = from; segment < to; segment++) {
            total += lengths[segment];
        }
        return total;
    }
}
