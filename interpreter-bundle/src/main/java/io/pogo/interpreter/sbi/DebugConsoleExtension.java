package io.pogo.interpreter.sbi;

import io.pogo.api.device.ConsoleChannel;
import io.pogo.api.memory.GuestMemory;

/** DBCN ("DBCN"): write and read the VM's console through buffers in guest-physical memory. */
final class DebugConsoleExtension implements SbiExtension {

    static final long ID = 0x4442_434eL;
    private static final int WRITE = 0;
    private static final int READ = 1;
    private static final int WRITE_BYTE = 2;
    /** Bytes moved per call at most; the guest calls again for the rest, as the specification allows. */
    private static final int MAX_TRANSFER = 4096;

    @Override
    public long id() {
        return ID;
    }

    @Override
    public SbiResult call(SbiCall call) {
        ConsoleChannel console = call.vm().console();
        return switch (call.function()) {
            case WRITE, READ -> transfer(call, console, call.function() == WRITE);
            case WRITE_BYTE -> {
                console.write((int) call.arg(0) & 0xff);
                yield SbiResult.ok();
            }
            default -> SbiResult.error(SbiResult.ERR_NOT_SUPPORTED);
        };
    }

    private static SbiResult transfer(SbiCall call, ConsoleChannel console, boolean write) {
        long length = call.arg(0);
        long address = call.arg(1);
        GuestMemory memory = call.vm().memory();
        if (call.arg(2) != 0 || length < 0 || !memory.contains(address, length)) {
            return SbiResult.error(SbiResult.ERR_INVALID_PARAM);
        }
        byte[] buffer = new byte[(int) Math.min(length, MAX_TRANSFER)];
        if (write) {
            memory.read(address, buffer, 0, buffer.length);
            for (byte b : buffer) {
                console.write(b & 0xff);
            }
            return SbiResult.ok(buffer.length);
        }
        int count = 0;
        for (int next = console.poll(); next >= 0; next = count < buffer.length ? console.poll() : -1) {
            buffer[count++] = (byte) next;
        }
        memory.write(address, buffer, 0, count);
        return SbiResult.ok(count);
    }
}
