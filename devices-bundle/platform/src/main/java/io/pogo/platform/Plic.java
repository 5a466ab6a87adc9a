package io.pogo.platform;

import static io.pogo.platform.DtCells.cells;
import static io.pogo.platform.DtCells.flag;
import static io.pogo.platform.DtCells.reg;
import static io.pogo.platform.DtCells.strings;

import io.pogo.api.cpu.Interrupt;
import io.pogo.api.device.Device;
import io.pogo.api.device.DeviceTree;
import io.pogo.api.device.DtNode;
import io.pogo.api.device.HartInterrupts;
import io.pogo.api.device.InterruptController;
import io.pogo.api.device.MmioWindow;
import io.pogo.api.state.StateInput;
import io.pogo.api.state.StateOutput;
import io.pogo.api.state.Stateful;
import java.util.ArrayList;
import java.util.List;

/**
 * The platform-level interrupt controller, per the SiFive PLIC spec with QEMU virt's layout: sources 1..96 with
 * 3-bit priorities, one context per hart and privilege (hart N machine mode = 2N, supervisor mode = 2N + 1), each
 * with its enable bits, priority threshold and claim/complete register. Sources are level-triggered: the gateway
 * holds a request while the line is asserted, and a claimed source requests again only after its completion.
 */
final class Plic implements Device, InterruptController, Stateful {

    static final int SOURCES = 96;
    private static final int WORDS = (SOURCES + 1 + 31) / 32;
    private static final int PRIORITY_MASK = 7;
    private static final long PENDING = 0x1000;
    private static final long ENABLE = 0x2000;
    private static final long ENABLE_STRIDE = 0x80;
    private static final long CONTEXT = 0x20_0000;
    private static final long CONTEXT_STRIDE = 0x1000;
    private static final long CLAIM = 4;

    private final HartInterrupts harts;
    private final MmioWindow window;
    private final int[] priority = new int[SOURCES + 1];
    private final boolean[] level = new boolean[SOURCES + 1];
    private final boolean[] pending = new boolean[SOURCES + 1];
    private final boolean[] claimed = new boolean[SOURCES + 1];
    private final List<Target> targets = new ArrayList<>();

    /** One context: a hart's external interrupt input in one privilege mode. */
    private static final class Target {
        final int[] enabled = new int[WORDS];
        int threshold;
        boolean raised;
    }

    Plic(HartInterrupts harts, MmioWindow window) {
        this.harts = harts;
        this.window = window;
    }

    /** QEMU's node; the controller owns the phandle every device names as its interrupt parent. */
    @Override
    public void describe(DeviceTree tree) {
        int[] contexts = new int[4 * harts.hartCount()];
        for (int hart = 0; hart < harts.hartCount(); hart++) {
            int intc = tree.hartInterruptController(hart);
            contexts[4 * hart] = intc;
            contexts[4 * hart + 1] = Interrupt.MACHINE_EXTERNAL.bit();
            contexts[4 * hart + 2] = intc;
            contexts[4 * hart + 3] = Interrupt.SUPERVISOR_EXTERNAL.bit();
        }
        tree.addDevice(new DtNode("plic@" + Long.toHexString(window.base()), List.of(
                cells("phandle", tree.interruptParent()),
                cells("riscv,ndev", SOURCES),
                reg(window),
                cells("interrupts-extended", contexts),
                flag("interrupt-controller"),
                strings("compatible", "sifive,plic-1.0.0", "riscv,plic0"),
                cells("#address-cells", 0),
                cells("#interrupt-cells", 1)), List.of()));
    }

    @Override
    public synchronized void setSourceLevel(int source, boolean asserted) {
        if (source < 1 || source > SOURCES) {
            return;
        }
        level[source] = asserted;
        pending[source] = asserted && !claimed[source];
        update();
    }

    @Override
    public synchronized long read(long offset, int size) {
        if (size != 4 || offset % 4 != 0) {
            return 0;
        }
        if (offset < PENDING) {
            int source = (int) (offset / 4);
            return source <= SOURCES ? priority[source] : 0;
        }
        if (offset < ENABLE) {
            int word = (int) ((offset - PENDING) / 4);
            return word < WORDS ? bits(pending, word) : 0;
        }
        if (offset < CONTEXT) {
            int context = (int) ((offset - ENABLE) / ENABLE_STRIDE);
            int word = (int) ((offset - ENABLE) % ENABLE_STRIDE / 4);
            return context < contexts() && word < WORDS ? target(context).enabled[word] & 0xffff_ffffL : 0;
        }
        int context = (int) ((offset - CONTEXT) / CONTEXT_STRIDE);
        long register = (offset - CONTEXT) % CONTEXT_STRIDE;
        if (context >= contexts()) {
            return 0;
        }
        if (register == 0) {
            return target(context).threshold;
        }
        return register == CLAIM ? claim(context) : 0;
    }

    @Override
    public synchronized void write(long offset, int size, long value) {
        if (size != 4 || offset % 4 != 0) {
            return;
        }
        int data = (int) value;
        if (offset < PENDING) {
            int source = (int) (offset / 4);
            if (source >= 1 && source <= SOURCES) {
                priority[source] = data & PRIORITY_MASK;
            }
        } else if (offset >= ENABLE && offset < CONTEXT) {
            int context = (int) ((offset - ENABLE) / ENABLE_STRIDE);
            int word = (int) ((offset - ENABLE) % ENABLE_STRIDE / 4);
            if (context < contexts() && word < WORDS) {
                target(context).enabled[word] = word == 0 ? data & ~1 : data;
            }
        } else if (offset >= CONTEXT) {
            int context = (int) ((offset - CONTEXT) / CONTEXT_STRIDE);
            long register = (offset - CONTEXT) % CONTEXT_STRIDE;
            if (context >= contexts()) {
                return;
            }
            if (register == 0) {
                target(context).threshold = data & PRIORITY_MASK;
            } else if (register == CLAIM) {
                complete(context, data);
            }
        }
        update();
    }

    @Override
    public void close() {
    }

    @Override
    public String stateType() {
        return "plic";
    }

    @Override
    public int stateVersion() {
        return 1;
    }

    /** Per source: priority, line level, pending, claimed; per context: enables, threshold, output raised. */
    @Override
    public synchronized void save(StateOutput out) {
        long[] sources = new long[SOURCES + 1];
        for (int source = 0; source <= SOURCES; source++) {
            sources[source] = priority[source] | (level[source] ? 8 : 0) | (pending[source] ? 16 : 0)
                    | (claimed[source] ? 32 : 0);
        }
        out.writeLongs(sources);
        out.writeInt(contexts());
        for (int context = 0; context < contexts(); context++) {
            Target target = target(context);
            for (int word : target.enabled) {
                out.writeInt(word);
            }
            out.writeInt(target.threshold);
            out.writeBoolean(target.raised);
        }
    }

    @Override
    public synchronized void restore(StateInput in, int version) {
        long[] sources = in.readLongs();
        if (sources.length != SOURCES + 1) {
            throw new IllegalArgumentException("the snapshot's PLIC has " + (sources.length - 1) + " sources, not "
                    + SOURCES);
        }
        for (int source = 0; source <= SOURCES; source++) {
            priority[source] = (int) sources[source] & PRIORITY_MASK;
            level[source] = (sources[source] & 8) != 0;
            pending[source] = (sources[source] & 16) != 0;
            claimed[source] = (sources[source] & 32) != 0;
        }
        int contexts = in.readInt();
        for (int context = 0; context < contexts; context++) {
            Target target = target(context);
            for (int word = 0; word < WORDS; word++) {
                target.enabled[word] = in.readInt();
            }
            target.threshold = in.readInt();
            target.raised = in.readBoolean();
        }
        // every output set as the sources say, whatever the harts' saved mip held of it
        for (int context = 0; context < contexts(); context++) {
            Target target = target(context);
            target.raised = best(context) != 0;
            harts.setPending(context / 2, externalInterrupt(context), target.raised);
        }
    }

    /** The highest-priority source that is pending and enabled above the threshold (ties: the lowest id). */
    private int best(int context) {
        int best = 0;
        int bestPriority = target(context).threshold;
        for (int source = 1; source <= SOURCES; source++) {
            if (pending[source] && isEnabled(context, source) && priority[source] > bestPriority) {
                best = source;
                bestPriority = priority[source];
            }
        }
        return best;
    }

    private long claim(int context) {
        int source = best(context);
        if (source != 0) {
            pending[source] = false;
            claimed[source] = true;
            update();
        }
        return source;
    }

    private void complete(int context, int source) {
        if (source < 1 || source > SOURCES || !isEnabled(context, source) || !claimed[source]) {
            return;
        }
        claimed[source] = false;
        pending[source] = level[source];
    }

    private void update() {
        for (int context = 0; context < contexts(); context++) {
            boolean raised = best(context) != 0;
            Target target = target(context);
            if (raised != target.raised) {
                target.raised = raised;
                harts.setPending(context / 2, externalInterrupt(context), raised);
            }
        }
    }

    private static Interrupt externalInterrupt(int context) {
        return context % 2 == 0 ? Interrupt.MACHINE_EXTERNAL : Interrupt.SUPERVISOR_EXTERNAL;
    }

    private boolean isEnabled(int context, int source) {
        return (target(context).enabled[source / 32] >>> (source % 32) & 1) != 0;
    }

    private static long bits(boolean[] flags, int word) {
        long bits = 0;
        for (int bit = 0; bit < 32; bit++) {
            int source = 32 * word + bit;
            if (source < flags.length && flags[source]) {
                bits |= 1L << bit;
            }
        }
        return bits;
    }

    private int contexts() {
        return 2 * harts.hartCount();
    }

    /** Harts are added after the devices while a VM is assembled, so contexts come into being on first use. */
    private Target target(int context) {
        while (targets.size() <= context) {
            targets.add(new Target());
        }
        return targets.get(context);
    }
}
