package io.pogo.platform;

import io.pogo.api.device.Device;
import io.pogo.api.device.PowerControl;

/**
 * SiFive's test device ("sifive,test0", QEMU's finisher and syscon target): a 32-bit write of 0x5555 powers the
 * VM off with status 0, {@code (code << 16) | 0x3333} with status {@code code}, 0x7777 resets it.
 */
final class TestFinisher implements Device {

    static final int PASS = 0x5555;
    static final int FAIL = 0x3333;
    static final int RESET = 0x7777;

    private final PowerControl power;

    TestFinisher(PowerControl power) {
        this.power = power;
    }

    @Override
    public long read(long offset, int size) {
        return 0;
    }

    @Override
    public void write(long offset, int size, long value) {
        if (offset != 0 || size < 4) {
            return;
        }
        int command = (int) value & 0xffff;
        switch (command) {
            case PASS -> power.powerOff(0);
            case FAIL -> power.powerOff((int) (value >>> 16) & 0xffff);
            case RESET -> power.reset();
            default -> { }
        }
    }

    @Override
    public void close() {
    }
}
