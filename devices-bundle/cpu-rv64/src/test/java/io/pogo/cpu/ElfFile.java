package io.pogo.cpu;

import io.pogo.api.memory.GuestMemory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/** Loads the PT_LOAD segments of a 64-bit little-endian RISC-V ELF into guest memory. */
record ElfFile(Path path, long entry) {
    private static final int PT_LOAD = 1;

    static ElfFile load(Path path, GuestMemory memory) throws IOException {
        ByteBuffer elf = ByteBuffer.wrap(Files.readAllBytes(path)).order(ByteOrder.LITTLE_ENDIAN);
        long entry = elf.getLong(0x18);
        long programHeaders = elf.getLong(0x20);
        int entrySize = elf.getShort(0x36) & 0xFFFF;
        int count = elf.getShort(0x38) & 0xFFFF;
        for (int i = 0; i < count; i++) {
            int header = (int) (programHeaders + (long) i * entrySize);
            if (elf.getInt(header) != PT_LOAD) {
                continue;
            }
            long fileOffset = elf.getLong(header + 0x08);
            long physical = elf.getLong(header + 0x18);
            long fileSize = elf.getLong(header + 0x20);
            memory.write(physical, elf.array(), (int) fileOffset, (int) fileSize);
        }
        return new ElfFile(path, entry);
    }
}
