package io.pogo.dispatcher.boot;

import io.pogo.api.device.DeviceTree;
import io.pogo.api.device.DtNode;
import io.pogo.api.device.DtProperty;
import io.pogo.api.device.DtValue;
import java.util.ArrayList;
import java.util.List;

/**
 * The device tree of a VM, laid out as QEMU's virt machine lays out its own: memory, cpus with their local
 * interrupt controllers, {@code /soc} with every device's node, and {@code /chosen}.
 */
public final class BoardDeviceTree implements DeviceTree {

    /** Paging modes up to Sv48, as QEMU's virt machine reports by default. */
    private static final String MMU_TYPE = "riscv,sv48";

    private final int harts;
    private final List<DtNode> devices = new ArrayList<>();
    private final List<DtNode> rootNodes = new ArrayList<>();
    private final List<DtProperty> chosen = new ArrayList<>();
    private int nextPhandle;

    public BoardDeviceTree(int harts) {
        this.harts = harts;
        this.nextPhandle = harts + 2;
    }

    @Override
    public int hartInterruptController(int hartId) {
        return 1 + hartId;
    }

    @Override
    public int interruptParent() {
        return harts + 1;
    }

    @Override
    public int newPhandle() {
        return nextPhandle++;
    }

    @Override
    public void addDevice(DtNode node) {
        devices.add(node);
    }

    @Override
    public void addRootNode(DtNode node) {
        rootNodes.add(node);
    }

    @Override
    public void choose(DtProperty property) {
        chosen.add(property);
    }

    /** What the board says about RAM and harts. */
    public record Board(long ramBase, long ramSize, String isa, long timebaseFrequency) {
    }

    /**
     * The whole tree as a blob.
     *
     * @param bootargs the kernel command line, none when empty
     * @param initrd   {start, end} of the initial ramdisk in guest RAM, or null
     */
    public byte[] toBlob(Board board, String bootargs, long[] initrd) {
        long ramBase = board.ramBase();
        long ramSize = board.ramSize();
        List<DtProperty> chosenProperties = new ArrayList<>(chosen);
        if (!bootargs.isEmpty()) {
            chosenProperties.add(strings("bootargs", bootargs));
        }
        if (initrd != null) {
            chosenProperties.add(cells("linux,initrd-start", hi(initrd[0]), lo(initrd[0])));
            chosenProperties.add(cells("linux,initrd-end", hi(initrd[1]), lo(initrd[1])));
        }
        List<DtNode> children = new ArrayList<>();
        children.add(node("chosen", chosenProperties));
        children.add(node("memory@" + Long.toHexString(ramBase), List.of(
                strings("device_type", "memory"),
                cells("reg", hi(ramBase), lo(ramBase), hi(ramSize), lo(ramSize)))));
        children.add(cpus(board));
        children.add(new DtNode("soc", List.of(
                cells("#address-cells", 2), cells("#size-cells", 2),
                strings("compatible", "simple-bus"), new DtProperty("ranges", new DtValue.Empty())),
                List.copyOf(devices)));
        children.addAll(rootNodes);
        return FdtWriter.encode(new DtNode("", List.of(
                cells("#address-cells", 2), cells("#size-cells", 2),
                strings("compatible", "riscv-virtio"), strings("model", "riscv-virtio,qemu")), children));
    }

    private DtNode cpus(Board board) {
        List<DtNode> cpus = new ArrayList<>();
        for (int hart = 0; hart < harts; hart++) {
            DtNode localInterrupts = node("interrupt-controller", List.of(
                    cells("#interrupt-cells", 1), new DtProperty("interrupt-controller", new DtValue.Empty()),
                    strings("compatible", "riscv,cpu-intc"), cells("phandle", hartInterruptController(hart))));
            cpus.add(new DtNode("cpu@" + hart, List.of(
                    strings("device_type", "cpu"), cells("reg", hart), strings("status", "okay"),
                    strings("compatible", "riscv"), strings("riscv,isa", board.isa()), strings("mmu-type", MMU_TYPE)),
                    List.of(localInterrupts)));
        }
        return new DtNode("cpus", List.of(cells("#address-cells", 1), cells("#size-cells", 0),
                cells("timebase-frequency", (int) board.timebaseFrequency())), cpus);
    }

    private static DtNode node(String name, List<DtProperty> properties) {
        return new DtNode(name, properties, List.of());
    }

    private static DtProperty cells(String name, int... cells) {
        return new DtProperty(name, new DtValue.Cells(cells));
    }

    private static DtProperty strings(String name, String... values) {
        return new DtProperty(name, new DtValue.Strings(values));
    }

    private static int hi(long value) {
        return (int) (value >>> 32);
    }

    private static int lo(long value) {
        return (int) value;
    }
}
