package io.pogo.platform;

import io.pogo.api.device.Device;
import io.pogo.api.device.DeviceTree;
import io.pogo.api.device.DtNode;
import io.pogo.api.device.DtProperty;
import io.pogo.api.device.DtValue;
import io.pogo.api.device.MmioWindow;
import io.pogo.api.device.PowerControl;
import io.pogo.api.state.StateInput;
import io.pogo.api.state.StateOutput;
import io.pogo.api.state.Stateful;
import java.util.List;

/**
 * SiFive's test device ("sifive,test0", QEMU's finisher and syscon target): a write of 0x5555 powers the VM off
 * with status 0, {@code (code << 16) | 0x3333} with status {@code code}, 0x7777 resets it. 16-bit writes count too,
 * as on QEMU: OpenSBI shuts down with one.
 */
final class TestFinisher implements Device, Stateful {

    static final int PASS = 0x5555;
    static final int FAIL = 0x3333;
    static final int RESET = 0x7777;

    private final PowerControl power;
    private final MmioWindow window;

    TestFinisher(PowerControl power, MmioWindow window) {
        this.power = power;
        this.window = window;
    }

    /** QEMU's nodes: the device as a syscon, and syscon-poweroff / syscon-reboot pointing at it. */
    @Override
    public void describe(DeviceTree tree) {
        int phandle = tree.newPhandle();
        long base = window.base();
        tree.addDevice(new DtNode("test@" + Long.toHexString(base), List.of(
                new DtProperty("phandle", new DtValue.Cells(phandle)),
                new DtProperty("reg", new DtValue.Cells((int) (base >>> 32), (int) base, 0, (int) window.size())),
                new DtProperty("compatible", new DtValue.Strings("sifive,test1", "sifive,test0", "syscon"))),
                List.of()));
        tree.addRootNode(syscon("poweroff", PASS, phandle));
        tree.addRootNode(syscon("reboot", RESET, phandle));
    }

    private static DtNode syscon(String action, int value, int regmap) {
        return new DtNode(action, List.of(
                new DtProperty("value", new DtValue.Cells(value)),
                new DtProperty("offset", new DtValue.Cells(0)),
                new DtProperty("regmap", new DtValue.Cells(regmap)),
                new DtProperty("compatible", new DtValue.Strings("syscon-" + action))), List.of());
    }

    @Override
    public long read(long offset, int size) {
        return 0;
    }

    @Override
    public void write(long offset, int size, long value) {
        if (offset != 0 || size < 2) {
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

    @Override
    public String stateType() {
        return "sifive-test";
    }

    @Override
    public int stateVersion() {
        return 1;
    }

    /** The finisher only acts on writes: it has no state. */
    @Override
    public void save(StateOutput out) {
    }

    @Override
    public void restore(StateInput in, int version) {
    }
}
