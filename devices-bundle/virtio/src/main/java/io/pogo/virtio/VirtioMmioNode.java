package io.pogo.virtio;

import io.pogo.api.device.DeviceTree;
import io.pogo.api.device.DtNode;
import io.pogo.api.device.DtProperty;
import io.pogo.api.device.DtValue;
import io.pogo.api.device.MmioWindow;
import java.util.List;

/** QEMU's device tree node for a virtio-mmio slot, which is the same whether or not a device sits in it. */
public final class VirtioMmioNode {

    private VirtioMmioNode() {
    }

    /** Adds the node of the slot at {@code window}, wired to interrupt {@code irq} of the board's controller. */
    public static void describe(DeviceTree tree, MmioWindow window, int irq) {
        long base = window.base();
        tree.addDevice(new DtNode("virtio_mmio@" + Long.toHexString(base), List.of(
                new DtProperty("interrupts", new DtValue.Cells(irq)),
                new DtProperty("interrupt-parent", new DtValue.Cells(tree.interruptParent())),
                new DtProperty("reg", new DtValue.Cells((int) (base >>> 32), (int) base, (int) (window.size() >>> 32),
                        (int) window.size())),
                new DtProperty("compatible", new DtValue.Strings("virtio,mmio"))), List.of()));
    }
}
