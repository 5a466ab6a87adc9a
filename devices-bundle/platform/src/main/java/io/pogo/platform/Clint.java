package io.pogo.platform;

import static io.pogo.platform.DtCells.cells;
import static io.pogo.platform.DtCells.reg;
import static io.pogo.platform.DtCells.strings;

import io.pogo.api.cpu.Interrupt;
import io.pogo.api.device.Device;
import io.pogo.api.device.DeviceTree;
import io.pogo.api.device.DtNode;
import io.pogo.api.device.HartInterrupts;
import io.pogo.api.device.MmioWindow;
import io.pogo.api.device.Timebase;
import io.pogo.api.state.StateInput;
import io.pogo.api.state.StateOutput;
import io.pogo.api.state.Stateful;
import java.util.Arrays;
import java.util.List;

/**
 * SiFive's core-local interruptor as on QEMU's virt board: one msip word per hart (machine software interrupt),
 * one 64-bit mtimecmp per hart (machine timer interrupt once mtime reaches it) and the shared mtime, which is the
 * VM's timebase. Registers accept 32- and 64-bit accesses; a 32-bit write replaces half of mtimecmp.
 */
final class Clint implements Device, Stateful {

    private static final long MSIP = 0x0;
    private static final long MTIMECMP = 0x4000;
    private static final long MTIME = 0xbff8;
    /** The layout leaves room for 4095 harts, as the CLINT spec's register map does. */
    private static final int MAX_HARTS = 4095;

    private final HartInterrupts harts;
    private final Timebase timebase;
    private final MmioWindow window;
    private long[] mtimecmp = new long[0];
    private boolean[] msip = new boolean[0];

    Clint(HartInterrupts harts, Timebase timebase, MmioWindow window) {
        this.harts = harts;
        this.timebase = timebase;
        this.window = window;
    }

    /** QEMU's node: each hart's software (3) and timer (7) interrupts. */
    @Override
    public void describe(DeviceTree tree) {
        int[] interrupts = new int[4 * harts.hartCount()];
        for (int hart = 0; hart < harts.hartCount(); hart++) {
            int intc = tree.hartInterruptController(hart);
            interrupts[4 * hart] = intc;
            interrupts[4 * hart + 1] = Interrupt.MACHINE_SOFTWARE.bit();
            interrupts[4 * hart + 2] = intc;
            interrupts[4 * hart + 3] = Interrupt.MACHINE_TIMER.bit();
        }
        tree.addDevice(new DtNode("clint@" + Long.toHexString(window.base()), List.of(
                cells("interrupts-extended", interrupts), reg(window),
                strings("compatible", "sifive,clint0", "riscv,clint0")), List.of()));
    }

    @Override
    public synchronized long read(long offset, int size) {
        long aligned = offset & ~7L;
        long value;
        if (offset >= MTIME && offset < MTIME + 8) {
            value = timebase.ticks();
        } else if (offset >= MTIMECMP && offset < MTIMECMP + 8L * hartCount()) {
            value = timerCompares()[(int) ((aligned - MTIMECMP) / 8)];
        } else if (offset >= MSIP && offset < MSIP + 4L * hartCount() && size <= 4) {
            return softwareInterrupts()[(int) (offset / 4)] ? 1 : 0;
        } else {
            return 0;
        }
        return slice(value, offset - aligned, size);
    }

    @Override
    public synchronized void write(long offset, int size, long value) {
        if (offset >= MTIMECMP && offset < MTIMECMP + 8L * hartCount()) {
            long aligned = offset & ~7L;
            int hart = (int) ((aligned - MTIMECMP) / 8);
            long[] compares = timerCompares();
            compares[hart] = merge(compares[hart], offset - aligned, size, value);
            timebase.arm(hart, Interrupt.MACHINE_TIMER, compares[hart]);
        } else if (offset >= MSIP && offset < MSIP + 4L * hartCount() && size == 4 && offset % 4 == 0) {
            int hart = (int) (offset / 4);
            softwareInterrupts()[hart] = (value & 1) != 0;
            harts.setPending(hart, Interrupt.MACHINE_SOFTWARE, (value & 1) != 0);
        }
    }

    @Override
    public void close() {
    }

    @Override
    public String stateType() {
        return "clint";
    }

    @Override
    public int stateVersion() {
        return 1;
    }

    /** mtimecmp and msip per hart; the timers armed from mtimecmp are the VM's timebase's to save. */
    @Override
    public synchronized void save(StateOutput out) {
        out.writeLongs(timerCompares());
        boolean[] software = softwareInterrupts();
        long[] msipWords = new long[software.length];
        for (int hart = 0; hart < software.length; hart++) {
            msipWords[hart] = software[hart] ? 1 : 0;
        }
        out.writeLongs(msipWords);
    }

    @Override
    public synchronized void restore(StateInput in, int version) {
        long[] compares = in.readLongs();
        long[] msipWords = in.readLongs();
        long[] mine = timerCompares();
        boolean[] software = softwareInterrupts();
        for (int hart = 0; hart < Math.min(mine.length, compares.length); hart++) {
            mine[hart] = compares[hart];
        }
        for (int hart = 0; hart < Math.min(software.length, msipWords.length); hart++) {
            software[hart] = msipWords[hart] != 0;
        }
    }

    private int hartCount() {
        return Math.min(harts.hartCount(), MAX_HARTS);
    }

    /** Harts are added after the devices while a VM is assembled, so the per-hart state grows on first use. */
    private long[] timerCompares() {
        if (mtimecmp.length < hartCount()) {
            int known = mtimecmp.length;
            mtimecmp = Arrays.copyOf(mtimecmp, hartCount());
            Arrays.fill(mtimecmp, known, mtimecmp.length, -1L);
        }
        return mtimecmp;
    }

    private boolean[] softwareInterrupts() {
        if (msip.length < hartCount()) {
            msip = Arrays.copyOf(msip, hartCount());
        }
        return msip;
    }

    private static long slice(long value, long byteOffset, int size) {
        long shifted = value >>> (8 * byteOffset);
        return size == 8 ? shifted : shifted & ((1L << (8 * size)) - 1);
    }

    private static long merge(long current, long byteOffset, int size, long value) {
        if (size == 8) {
            return value;
        }
        long mask = ((1L << (8 * size)) - 1) << (8 * byteOffset);
        return current & ~mask | (value << (8 * byteOffset)) & mask;
    }
}
