package io.pogo.platform;

import io.pogo.api.device.DtProperty;
import io.pogo.api.device.DtValue;
import io.pogo.api.device.MmioWindow;

/** Device tree properties the platform devices share, encoded as QEMU's virt board encodes them. */
final class DtCells {

    private DtCells() {
    }

    /** {@code reg} with two address and two size cells, as under the virt board's {@code /soc}. */
    static DtProperty reg(MmioWindow window) {
        long base = window.base();
        long size = window.size();
        return new DtProperty("reg", new DtValue.Cells((int) (base >>> 32), (int) base, (int) (size >>> 32),
                (int) size));
    }

    static DtProperty cells(String name, int... cells) {
        return new DtProperty(name, new DtValue.Cells(cells));
    }

    static DtProperty strings(String name, String... strings) {
        return new DtProperty(name, new DtValue.Strings(strings));
    }

    static DtProperty flag(String name) {
        return new DtProperty(name, new DtValue.Empty());
    }
}
