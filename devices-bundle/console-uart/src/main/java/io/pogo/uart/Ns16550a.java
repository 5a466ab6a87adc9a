package io.pogo.uart;

import io.pogo.api.device.ConsoleChannel;
import io.pogo.api.device.Device;
import io.pogo.api.device.DeviceTree;
import io.pogo.api.device.DtNode;
import io.pogo.api.device.DtProperty;
import io.pogo.api.device.DtValue;
import io.pogo.api.device.InterruptLine;
import io.pogo.api.device.MmioWindow;
import io.pogo.api.state.StateInput;
import io.pogo.api.state.StateOutput;
import io.pogo.api.state.Stateful;
import java.util.ArrayDeque;
import java.util.List;

/**
 * The NS16550A UART as on QEMU's virt board (registers one byte apart). Transmission is instant, so the
 * transmitter is always empty; received bytes move from the console into a 16-byte FIFO. Interrupts: received
 * data available and transmitter holding register empty, with the 16550's priorities and clearing rules; enabling
 * the transmitter interrupt while the transmitter is empty raises it at once, which Linux's 8250 driver tests for
 * at startup. Switching the FIFOs on or off empties them, as on the real part.
 */
final class Ns16550a implements Device, Stateful {

    private static final int RBR_THR_DLL = 0;
    private static final int IER_DLM = 1;
    private static final int IIR_FCR = 2;
    private static final int LCR = 3;
    private static final int MCR = 4;
    private static final int LSR = 5;
    private static final int MSR = 6;
    private static final int SCR = 7;

    private static final int IER_RDA = 0x01;
    private static final int IER_THRE = 0x02;
    private static final int IIR_NONE = 0x01;
    private static final int IIR_THRE = 0x02;
    private static final int IIR_RDA = 0x04;
    private static final int IIR_FIFOS_ENABLED = 0xc0;
    private static final int FCR_ENABLE = 0x01;
    private static final int FCR_CLEAR_RX = 0x02;
    private static final int LCR_DLAB = 0x80;
    private static final int MCR_LOOPBACK = 0x10;
    private static final int LSR_DATA_READY = 0x01;
    private static final int LSR_THR_EMPTY = 0x20;
    private static final int LSR_TRANSMITTER_EMPTY = 0x40;
    /** Carrier detect, data set ready, clear to send: a terminal is always there. */
    private static final int MSR_CONNECTED = 0xb0;
    private static final int FIFO_DEPTH = 16;
    /** The 3.6864 MHz crystal QEMU declares; Linux derives baud rates from it. */
    private static final int CLOCK_FREQUENCY = 0x384000;

    private final ConsoleChannel console;
    private final InterruptLine irq;
    private final MmioWindow window;
    private final ArrayDeque<Byte> receiveFifo = new ArrayDeque<>(FIFO_DEPTH);
    private int ier;
    private int lcr;
    private int mcr;
    private int scr;
    private int divisorLow;
    private int divisorHigh;
    private boolean fifosEnabled;
    private boolean thrEmptyInterrupt;

    Ns16550a(ConsoleChannel console, InterruptLine irq, MmioWindow window) {
        this.console = console;
        this.irq = irq;
        this.window = window;
        console.onInput(this::inputArrived);
    }

    /** As on QEMU's virt board, and the console Linux picks by default ({@code stdout-path}). */
    @Override
    public void describe(DeviceTree tree) {
        long base = window.base();
        String name = "serial@" + Long.toHexString(base);
        tree.addDevice(new DtNode(name, List.of(
                new DtProperty("interrupts", new DtValue.Cells(irq.number())),
                new DtProperty("interrupt-parent", new DtValue.Cells(tree.interruptParent())),
                new DtProperty("clock-frequency", new DtValue.Cells(CLOCK_FREQUENCY)),
                new DtProperty("reg", new DtValue.Cells((int) (base >>> 32), (int) base, 0, (int) window.size())),
                new DtProperty("compatible", new DtValue.Strings("ns16550a"))), List.of()));
        tree.choose(new DtProperty("stdout-path", new DtValue.Strings("/soc/" + name)));
    }

    @Override
    public synchronized long read(long offset, int size) {
        return switch ((int) offset) {
            case RBR_THR_DLL -> dlab() ? divisorLow : receive();
            case IER_DLM -> dlab() ? divisorHigh : ier;
            case IIR_FCR -> identifyInterrupt();
            case LCR -> lcr;
            case MCR -> mcr;
            case LSR -> lineStatus();
            case MSR -> modemStatus();
            case SCR -> scr;
            default -> 0;
        };
    }

    @Override
    public synchronized void write(long offset, int size, long value) {
        int data = (int) value & 0xff;
        switch ((int) offset) {
            case RBR_THR_DLL -> {
                if (dlab()) {
                    divisorLow = data;
                } else {
                    transmit(data);
                }
            }
            case IER_DLM -> {
                if (dlab()) {
                    divisorHigh = data;
                } else {
                    thrEmptyInterrupt = (data & IER_THRE) != 0 && (ier & IER_THRE) == 0 || thrEmptyInterrupt;
                    ier = data & 0x0f;
                }
            }
            case IIR_FCR -> {
                boolean enable = (data & FCR_ENABLE) != 0;
                if (enable != fifosEnabled || (data & FCR_CLEAR_RX) != 0) {
                    receiveFifo.clear();
                }
                fifosEnabled = enable;
            }
            case LCR -> lcr = data;
            case MCR -> mcr = data & 0x1f;
            case SCR -> scr = data;
            default -> { }
        }
        updateInterrupt();
    }

    @Override
    public void close() {
        console.onInput(() -> { });
    }

    @Override
    public String stateType() {
        return "ns16550a";
    }

    @Override
    public int stateVersion() {
        return 1;
    }

    /** The registers and the receive FIFO; input still in the console belongs to the host, not the UART. */
    @Override
    public synchronized void save(StateOutput out) {
        out.writeInt(ier);
        out.writeInt(lcr);
        out.writeInt(mcr);
        out.writeInt(scr);
        out.writeInt(divisorLow);
        out.writeInt(divisorHigh);
        out.writeBoolean(fifosEnabled);
        out.writeBoolean(thrEmptyInterrupt);
        byte[] fifo = new byte[receiveFifo.size()];
        int i = 0;
        for (byte received : receiveFifo) {
            fifo[i++] = received;
        }
        out.writeBytes(fifo);
    }

    @Override
    public synchronized void restore(StateInput in, int version) {
        ier = in.readInt() & 0x0f;
        lcr = in.readInt() & 0xff;
        mcr = in.readInt() & 0x1f;
        scr = in.readInt() & 0xff;
        divisorLow = in.readInt() & 0xff;
        divisorHigh = in.readInt() & 0xff;
        fifosEnabled = in.readBoolean();
        thrEmptyInterrupt = in.readBoolean();
        receiveFifo.clear();
        byte[] fifo = in.readBytes();
        for (int i = 0; i < Math.min(fifo.length, FIFO_DEPTH); i++) {
            receiveFifo.add(fifo[i]);
        }
        updateInterrupt();
    }

    private synchronized void inputArrived() {
        updateInterrupt();
    }

    private void transmit(int data) {
        if ((mcr & MCR_LOOPBACK) != 0) {
            if (receiveFifo.size() < FIFO_DEPTH) {
                receiveFifo.add((byte) data);
            }
        } else {
            console.write(data);
        }
        thrEmptyInterrupt = true;
    }

    private int receive() {
        fillReceiveFifo();
        Byte next = receiveFifo.poll();
        updateInterrupt();
        return next == null ? 0 : next & 0xff;
    }

    private void fillReceiveFifo() {
        if ((mcr & MCR_LOOPBACK) != 0) {
            return;
        }
        int depth = fifosEnabled ? FIFO_DEPTH : 1;
        while (receiveFifo.size() < depth) {
            int next = console.poll();
            if (next < 0) {
                return;
            }
            receiveFifo.add((byte) next);
        }
    }

    private int identifyInterrupt() {
        int id = pendingInterrupt();
        if (id == IIR_THRE) {
            thrEmptyInterrupt = false;
            updateInterrupt();
        }
        return id | (fifosEnabled ? IIR_FIFOS_ENABLED : 0);
    }

    /**
     * Input is taken from the console only when the guest looks for it (the receive interrupt enabled, or a read
     * of the line status or receiver): until then it stays there for another reader, such as HTIF's console.
     */
    private int pendingInterrupt() {
        if ((ier & IER_RDA) != 0) {
            fillReceiveFifo();
            if (!receiveFifo.isEmpty()) {
                return IIR_RDA;
            }
        }
        if ((ier & IER_THRE) != 0 && thrEmptyInterrupt) {
            return IIR_THRE;
        }
        return IIR_NONE;
    }

    private int lineStatus() {
        fillReceiveFifo();
        return LSR_THR_EMPTY | LSR_TRANSMITTER_EMPTY | (receiveFifo.isEmpty() ? 0 : LSR_DATA_READY);
    }

    /** In loopback the modem outputs (DTR, RTS, OUT1, OUT2) come back as DSR, CTS, RI, DCD. */
    private int modemStatus() {
        if ((mcr & MCR_LOOPBACK) == 0) {
            return MSR_CONNECTED;
        }
        return ((mcr & 0x01) << 5) | ((mcr & 0x02) << 3) | ((mcr & 0x04) << 4) | ((mcr & 0x08) << 4);
    }

    private void updateInterrupt() {
        irq.setLevel(pendingInterrupt() != IIR_NONE);
    }

    private boolean dlab() {
        return (lcr & LCR_DLAB) != 0;
    }
}
