package io.pogo.platform;

import io.pogo.api.device.ConsoleChannel;
import io.pogo.api.device.Device;
import io.pogo.api.device.DeviceTree;
import io.pogo.api.device.PowerControl;
import io.pogo.api.memory.GuestMemory;
import io.pogo.api.state.StateInput;
import io.pogo.api.state.StateOutput;
import io.pogo.api.state.Stateful;

/**
 * The Host-Target Interface of Spike and of QEMU's spike machine: two 64-bit words, {@code tohost} and
 * {@code fromhost}, through which a bare-metal program (riscv-tests, pk-style benchmarks) asks the host for things.
 *
 * <p>The registers behave as QEMU 7.2's riscv_htif.c makes them, which sees every access as 32-bit halves: writing
 * tohost's low half latches it (only while tohost reads 0), writing its high half hands the command over, so a
 * 64-bit store and a pair of 32-bit stores (low, then high) both work. Commands, by device (bits 63..56) and
 * command (bits 55..48): device 0 command 0 with bit 0 set ends the VM with status {@code value >> 1}; with bit 0
 * clear the payload points to a system call for Spike's proxy ({@link HtifSyscalls}); device 1 is the console:
 * command 1 writes the low byte, command 0 asks for one. Once a command is taken tohost reads 0 again and fromhost
 * holds the answer ({@code device | command | response}, as QEMU and Spike's front end write it), which polling
 * guests wait for. Harts reach the device one access at a time.
 */
final class Htif implements Device, Stateful {

    private static final int SYSTEM = 0;
    private static final int CONSOLE = 1;
    private static final int SYSTEM_CALL = 0;
    private static final int GETCHAR = 0;
    private static final int PUTCHAR = 1;
    private static final long PAYLOAD = 0xFFFF_FFFF_FFFFL;
    private static final long LOW_HALF = 0xFFFF_FFFFL;
    private static final long ANSWERED_BYTE = 0x100;
    /** An offset no access can have: the program defines no fromhost. */
    static final long ABSENT = Long.MIN_VALUE;

    private final long tohostOffset;
    private final long fromhostOffset;
    private final ConsoleChannel console;
    private final PowerControl power;
    private final HtifSyscalls syscalls;

    private long tohost;
    private long fromhost;
    private boolean tohostLatched;
    /** The console read request waiting for input, or 0. */
    private long pendingRead;

    /**
     * @param tohostOffset   tohost's offset in the device's window
     * @param fromhostOffset fromhost's offset in the window, or {@link #ABSENT}
     */
    Htif(long tohostOffset, long fromhostOffset, GuestMemory memory, ConsoleChannel console, PowerControl power) {
        this.tohostOffset = tohostOffset;
        this.fromhostOffset = fromhostOffset;
        this.console = console;
        this.power = power;
        this.syscalls = new HtifSyscalls(memory, console, code -> power.powerOff(exitStatus(code)));
    }

    /** The process exit status Spike and QEMU end with for an exit code: what survives of it as a non-negative int. */
    static int exitStatus(long code) {
        return (int) (code & Integer.MAX_VALUE);
    }

    /** None: QEMU's virt board has no HTIF node, and firmware that found one would move its console and reset there. */
    @Override
    public void describe(DeviceTree tree) {
    }

    @Override
    public synchronized long read(long offset, int size) {
        if (size == 8) {
            return readHalf(offset) | readHalf(offset + 4) << 32;
        }
        return readHalf(offset) & (LOW_HALF >>> (32 - 8 * size));
    }

    @Override
    public synchronized void write(long offset, int size, long value) {
        if (size == 8) {
            writeHalf(offset, value & LOW_HALF);
            writeHalf(offset + 4, value >>> 32);
        } else {
            writeHalf(offset, value);
        }
    }

    private long readHalf(long offset) {
        if (offset == tohostOffset) {
            return tohost & LOW_HALF;
        }
        if (offset == tohostOffset + 4) {
            return tohost >>> 32;
        }
        if (offset == fromhostOffset) {
            answerPendingRead();
            return fromhost & LOW_HALF;
        }
        if (offset == fromhostOffset + 4) {
            return fromhost >>> 32;
        }
        return 0;
    }

    private void writeHalf(long offset, long value) {
        if (offset == tohostOffset) {
            tohostLatched = tohost == 0;
            if (tohostLatched) {
                tohost = value & LOW_HALF;
            }
        } else if (offset == tohostOffset + 4) {
            if (tohostLatched) {
                tohost |= value << 32;
                take(tohost);
            }
        } else if (offset == fromhostOffset) {
            fromhost = value & LOW_HALF;
        } else if (offset == fromhostOffset + 4) {
            fromhost |= value << 32;
        }
    }

    /** Spike's front end acts only on a non-zero tohost: a zero written into both halves asks for nothing. */
    private void take(long command) {
        if (command == 0) {
            return;
        }
        int device = (int) (command >>> 56);
        int function = (int) (command >>> 48) & 0xFF;
        long payload = command & PAYLOAD;
        tohost = 0;
        long response = 0;
        if (device == SYSTEM && function == SYSTEM_CALL) {
            if ((payload & 1) != 0) {
                power.powerOff(exitStatus(payload >>> 1));
                return;
            }
            syscalls.serve(payload);
            response = 1;
        } else if (device == CONSOLE && function == GETCHAR) {
            pendingRead = command;
            answerPendingRead();
            return;
        } else if (device == CONSOLE && function == PUTCHAR) {
            console.write((int) payload & 0xFF);
            response = ANSWERED_BYTE | (payload & 0xFF);
        }
        fromhost = command & ~PAYLOAD | response;
    }

    /** A console read is answered once a byte has arrived, when the guest looks at fromhost. */
    private void answerPendingRead() {
        if (pendingRead == 0) {
            return;
        }
        int input = console.poll();
        if (input >= 0) {
            fromhost = pendingRead & ~PAYLOAD | ANSWERED_BYTE | input;
            pendingRead = 0;
        }
    }

    @Override
    public void close() {
    }

    @Override
    public String stateType() {
        return "htif";
    }

    @Override
    public int stateVersion() {
        return 1;
    }

    /** The two words, the latch between tohost's halves, and a console read still waiting for input. */
    @Override
    public synchronized void save(StateOutput out) {
        out.writeLong(tohost);
        out.writeLong(fromhost);
        out.writeBoolean(tohostLatched);
        out.writeLong(pendingRead);
    }

    @Override
    public synchronized void restore(StateInput in, int version) {
        tohost = in.readLong();
        fromhost = in.readLong();
        tohostLatched = in.readBoolean();
        pendingRead = in.readLong();
    }
}
