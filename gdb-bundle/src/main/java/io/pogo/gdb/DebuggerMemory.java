package io.pogo.gdb;

import io.pogo.api.cpu.Hart;
import io.pogo.api.memory.GuestMemory;
import io.pogo.api.vm.VmDebug;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * Guest memory as gdb reads and writes it: through the current address translation of the selected hart, page by
 * page, and where no page maps an address, at that address in physical memory (so gdb can read a kernel's image
 * before it turns paging on). Only RAM is reachable: reading a device register could change it.
 */
final class DebuggerMemory {
    private static final long PAGE = 4096;

    private final VmDebug vm;

    DebuggerMemory(VmDebug vm) {
        this.vm = vm;
    }

    /** Up to {@code length} bytes from {@code address}; fewer when the range leaves RAM, none when it starts outside. */
    byte[] read(int hartId, long address, int length) {
        GuestMemory memory = vm.memory();
        ByteArrayOutputStream out = new ByteArrayOutputStream(length);
        long virtual = address;
        int left = length;
        while (left > 0) {
            int chunk = chunk(virtual, left);
            long physical = physical(hartId, virtual);
            if (!memory.contains(physical, chunk)) {
                break;
            }
            byte[] bytes = new byte[chunk];
            memory.read(physical, bytes, 0, chunk);
            out.writeBytes(bytes);
            virtual += chunk;
            left -= chunk;
        }
        return out.toByteArray();
    }

    /**
     * Writes {@code data} at {@code address}, all of it or nothing; every hart then fetches its code afresh, since
     * gdb may have written some.
     */
    boolean write(int hartId, long address, byte[] data) {
        GuestMemory memory = vm.memory();
        List<Long> pages = new ArrayList<>();
        long virtual = address;
        for (int offset = 0; offset < data.length; ) {
            int chunk = chunk(virtual, data.length - offset);
            long physical = physical(hartId, virtual);
            if (!memory.contains(physical, chunk)) {
                return false;
            }
            pages.add(physical);
            virtual += chunk;
            offset += chunk;
        }
        virtual = address;
        int offset = 0;
        for (long physical : pages) {
            int chunk = chunk(virtual, data.length - offset);
            memory.write(physical, data, offset, chunk);
            virtual += chunk;
            offset += chunk;
        }
        vm.harts().forEach(Hart::fenceInstructions);
        return true;
    }

    private static int chunk(long virtual, int left) {
        return (int) Math.min(left, PAGE - (virtual & (PAGE - 1)));
    }

    private long physical(int hartId, long virtual) {
        OptionalLong translated = vm.hart(hartId).translate(virtual);
        return translated.orElse(virtual);
    }
}
