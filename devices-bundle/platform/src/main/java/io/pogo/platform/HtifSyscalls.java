package io.pogo.platform;

import io.pogo.api.device.ConsoleChannel;
import io.pogo.api.memory.GuestMemory;
import java.util.function.LongConsumer;

/**
 * The system-call proxy of Spike's front end (fesvr), for programs built against pk-style syscall stubs: the
 * guest puts {@code {number, a0, a1, ... a6}} in an eight-word block of RAM ("magic_mem"), hands its address to
 * tohost, and finds the result in the block's first word once fromhost answers. write (64) to standard output or
 * standard error goes to the console and exit (93) ends the VM; other calls answer -ENOSYS.
 */
final class HtifSyscalls {

    static final long SYS_WRITE = 64;
    static final long SYS_EXIT = 93;
    private static final int BLOCK_BYTES = 8 * 8;
    private static final long EBADF = 9;
    private static final long EFAULT = 14;
    private static final long ENOSYS = 38;
    private static final int CHUNK = 4096;

    private final GuestMemory memory;
    private final ConsoleChannel console;
    private final LongConsumer exit;

    HtifSyscalls(GuestMemory memory, ConsoleChannel console, LongConsumer exit) {
        this.memory = memory;
        this.console = console;
        this.exit = exit;
    }

    /** Serves the call described at {@code block}; a block outside RAM has nowhere to take a result, and is ignored. */
    void serve(long block) {
        if (!memory.contains(block, BLOCK_BYTES)) {
            return;
        }
        long number = memory.load(block, 8);
        long a0 = memory.load(block + 8, 8);
        long result;
        if (number == SYS_WRITE) {
            result = write(a0, memory.load(block + 16, 8), memory.load(block + 24, 8));
        } else if (number == SYS_EXIT) {
            exit.accept(a0);
            result = 0;
        } else {
            result = -ENOSYS;
        }
        memory.store(block, 8, result);
    }

    private long write(long fd, long buffer, long length) {
        if (fd != 1 && fd != 2) {
            return -EBADF;
        }
        if (length < 0 || !memory.contains(buffer, length)) {
            return -EFAULT;
        }
        byte[] chunk = new byte[(int) Math.min(length, CHUNK)];
        for (long done = 0; done < length; done += chunk.length) {
            int count = (int) Math.min(chunk.length, length - done);
            memory.read(buffer + done, chunk, 0, count);
            for (int i = 0; i < count; i++) {
                console.write(chunk[i] & 0xFF);
            }
        }
        return length;
    }
}
