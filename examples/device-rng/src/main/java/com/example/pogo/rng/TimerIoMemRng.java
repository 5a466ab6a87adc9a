package com.example.pogo.rng;

import io.pogo.api.device.Device;
import io.pogo.api.device.DeviceTree;
import io.pogo.api.device.DtNode;
import io.pogo.api.device.DtProperty;
import io.pogo.api.device.DtValue;
import io.pogo.api.device.MmioWindow;
import io.pogo.api.state.StateInput;
import io.pogo.api.state.StateOutput;
import io.pogo.api.state.Stateful;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * A random number generator behind one 32-bit register, as Linux's {@code timeriomem-rng} driver expects: each
 * read after {@code period} microseconds yields fresh random bits. Here every read does, so the period is 1.
 */
final class TimerIoMemRng implements Device, Stateful {

    /** Microseconds the driver waits between reads. */
    static final int PERIOD_US = 1;
    /** Bits of entropy per 1024 bits read, as the binding's {@code quality}: the host's generator is strong. */
    static final int QUALITY = 1024;

    private final MmioWindow window;
    private final RandomGenerator random;

    TimerIoMemRng(MmioWindow window, RandomGenerator random) {
        this.window = window;
        this.random = random;
    }

    /** The node of Documentation/devicetree/bindings/rng/timeriomem_rng.yaml. */
    @Override
    public void describe(DeviceTree tree) {
        long base = window.base();
        long size = window.size();
        tree.addDevice(new DtNode("rng@" + Long.toHexString(base), List.of(
                new DtProperty("compatible", new DtValue.Strings("timeriomem_rng")),
                new DtProperty("reg", new DtValue.Cells((int) (base >>> 32), (int) base, (int) (size >>> 32),
                        (int) size)),
                new DtProperty("period", new DtValue.Cells(PERIOD_US)),
                new DtProperty("quality", new DtValue.Cells(QUALITY))), List.of()));
    }

    @Override
    public long read(long offset, int size) {
        if (offset != 0) {
            return 0;
        }
        long bits = random.nextLong();
        return size == 8 ? bits : bits & ((1L << (8 * size)) - 1);
    }

    @Override
    public void write(long offset, int size, long value) {
    }

    @Override
    public void close() {
    }

    @Override
    public String stateType() {
        return "timeriomem-rng";
    }

    @Override
    public int stateVersion() {
        return 1;
    }

    /** Every read is fresh randomness: there is nothing to carry over. */
    @Override
    public void save(StateOutput out) {
    }

    @Override
    public void restore(StateInput in, int version) {
    }
}
