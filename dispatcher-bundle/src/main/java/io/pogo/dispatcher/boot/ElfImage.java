package io.pogo.dispatcher.boot;

import java.io.IOException;
import java.io.InputStream;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * A RISC-V ELF64 executable, validated and split into loadable segments, with the addresses of its HTIF words
 * ({@code tohost}, {@code fromhost}) when its symbol table names them. Anything else (another architecture, a 32-bit
 * or big-endian file, a truncated or inconsistent one, a segment running past the end of the address space) is
 * rejected with a one-line reason.
 */
public record ElfImage(long entry, List<Segment> segments, OptionalLong tohost, OptionalLong fromhost) {

    /** Bytes to place at a guest-physical address; the rest up to {@code memorySize} is zero. */
    public record Segment(long physicalAddress, byte[] data, long memorySize) {
    }

    private static final int EM_RISCV = 243;
    private static final int ET_EXEC = 2;
    private static final int PT_LOAD = 1;
    private static final int PROGRAM_HEADER_SIZE = 56;
    private static final int SHT_SYMTAB = 2;

    public static boolean looksLikeElf(byte[] bytes) {
        return bytes.length >= 4 && bytes[0] == 0x7f && bytes[1] == 'E' && bytes[2] == 'L' && bytes[3] == 'F';
    }

    public static ElfImage read(Path file) {
        return parse(file, readAll(file));
    }

    static byte[] readAll(Path file) {
        checkRegular(file);
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read: " + e.getMessage());
        }
    }

    /** The first {@code count} bytes of {@code file}, fewer if it is shorter. */
    static byte[] readStart(Path file, int count) {
        checkRegular(file);
        try (InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(count);
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read: " + e.getMessage());
        }
    }

    static long size(Path file) {
        checkRegular(file);
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read: " + e.getMessage());
        }
    }

    private static void checkRegular(Path file) {
        if (!Files.exists(file)) {
            throw new IllegalArgumentException(file + ": no such file");
        }
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(file + ": not a regular file");
        }
    }

    static ElfImage parse(Path file, byte[] bytes) {
        if (!looksLikeElf(bytes)) {
            throw new IllegalArgumentException(file + ": not an ELF file");
        }
        try {
            return parseHeader(file, ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN));
        } catch (IndexOutOfBoundsException | BufferUnderflowException | ArithmeticException
                 | NegativeArraySizeException e) {
            throw new IllegalArgumentException(file + ": truncated or corrupt ELF file");
        }
    }

    private static ElfImage parseHeader(Path file, ByteBuffer elf) {
        if (elf.get(4) != 2) {
            throw new IllegalArgumentException(file + ": a 32-bit ELF file; Pogo runs RV64 guests");
        }
        if (elf.get(5) != 1) {
            throw new IllegalArgumentException(file + ": a big-endian ELF file; RISC-V is little-endian");
        }
        int machine = Short.toUnsignedInt(elf.getShort(18));
        if (machine != EM_RISCV) {
            throw new IllegalArgumentException(file + ": an ELF file for " + machineName(machine) + ", not RISC-V");
        }
        if (Short.toUnsignedInt(elf.getShort(16)) != ET_EXEC) {
            throw new IllegalArgumentException(file + ": not an executable ELF file (relocatable or shared object)");
        }
        long entry = elf.getLong(24);
        List<Segment> segments = programSegments(file, elf);
        if (segments.isEmpty()) {
            throw new IllegalArgumentException(file + ": ELF file has nothing to load");
        }
        Map<String, Long> symbols = symbols(elf, Set.of("tohost", "fromhost"));
        return new ElfImage(entry, List.copyOf(segments), optional(symbols.get("tohost")),
                optional(symbols.get("fromhost")));
    }

    private static OptionalLong optional(Long value) {
        return value == null ? OptionalLong.empty() : OptionalLong.of(value);
    }

    private static List<Segment> programSegments(Path file, ByteBuffer elf) {
        int tableOffset = Math.toIntExact(elf.getLong(32));
        int entrySize = Short.toUnsignedInt(elf.getShort(54));
        int count = Short.toUnsignedInt(elf.getShort(56));
        if (count > 0 && entrySize != PROGRAM_HEADER_SIZE) {
            throw new IllegalArgumentException(file + ": corrupt ELF header (program headers of " + entrySize
                    + " bytes, not " + PROGRAM_HEADER_SIZE + ")");
        }
        List<Segment> segments = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int header = Math.addExact(tableOffset, Math.multiplyExact(i, entrySize));
            if (elf.getInt(header) != PT_LOAD) {
                continue;
            }
            int offset = Math.toIntExact(elf.getLong(header + 8));
            long physical = elf.getLong(header + 24);
            int fileSize = Math.toIntExact(elf.getLong(header + 32));
            long memorySize = elf.getLong(header + 40);
            if (fileSize > memorySize || memorySize < 0 || fileSize < 0 || offset < 0
                    || offset > elf.limit() - fileSize) {
                throw new IllegalArgumentException(file + ": corrupt ELF program header " + i);
            }
            if (memorySize > 0 && physical != 0 && Long.compareUnsigned(memorySize, -physical) >= 0) {
                throw new IllegalArgumentException(("%s: ELF program header %d places 0x%x bytes at 0x%x, past the end"
                        + " of the 64-bit address space").formatted(file, i, memorySize, physical));
            }
            byte[] data = new byte[fileSize];
            elf.get(offset, data);
            if (memorySize > 0) {
                segments.add(new Segment(physical, data, memorySize));
            }
        }
        return segments;
    }

    /** The values of the symbols in {@code names} that the file's symbol tables define. */
    private static Map<String, Long> symbols(ByteBuffer elf, Set<String> names) {
        Map<String, Long> found = new HashMap<>();
        int tableOffset = Math.toIntExact(elf.getLong(40));
        int entrySize = Short.toUnsignedInt(elf.getShort(58));
        int count = Short.toUnsignedInt(elf.getShort(60));
        for (int i = 0; i < count; i++) {
            int section = Math.addExact(tableOffset, Math.multiplyExact(i, entrySize));
            if (elf.getInt(section + 4) != SHT_SYMTAB) {
                continue;
            }
            int strings = Math.addExact(tableOffset, Math.multiplyExact(elf.getInt(section + 40), entrySize));
            int stringsOffset = Math.toIntExact(elf.getLong(strings + 24));
            int symbols = Math.toIntExact(elf.getLong(section + 24));
            long size = elf.getLong(section + 32);
            for (int at = symbols; at + 24 <= symbols + size; at += 24) {
                String name = cString(elf, stringsOffset + elf.getInt(at));
                if (names.contains(name)) {
                    found.put(name, elf.getLong(at + 8));
                }
            }
        }
        return found;
    }

    private static String cString(ByteBuffer elf, int offset) {
        int end = offset;
        while (elf.get(end) != 0) {
            end++;
        }
        byte[] text = new byte[end - offset];
        elf.get(offset, text);
        return new String(text, StandardCharsets.US_ASCII);
    }

    private static String machineName(int machine) {
        return switch (machine) {
            case 3 -> "x86";
            case 40 -> "ARM";
            case 62 -> "x86-64";
            case 183 -> "AArch64";
            default -> "machine type " + machine;
        };
    }
}
