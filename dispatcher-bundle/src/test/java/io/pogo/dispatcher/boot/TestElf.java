package io.pogo.dispatcher.boot;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds small RISC-V ELF64 executables with chosen PT_LOAD segments and symbols, for edge cases no compiler emits. */
final class TestElf {

    private record Load(long address, byte[] data, long memorySize) {
    }

    private long entry = 0x8000_0000L;
    private final List<Load> loads = new ArrayList<>();
    private final Map<String, Long> symbols = new LinkedHashMap<>();

    TestElf entry(long address) {
        entry = address;
        return this;
    }

    /** A segment of {@code data.length} file bytes and {@code memorySize} bytes in memory. */
    TestElf load(long address, byte[] data, long memorySize) {
        loads.add(new Load(address, data, memorySize));
        return this;
    }

    TestElf symbol(String name, long value) {
        symbols.put(name, value);
        return this;
    }

    byte[] bytes() {
        int headers = 64 + 56 * loads.size();
        int dataSize = loads.stream().mapToInt(load -> load.data().length).sum();
        byte[] names = symbolNames();
        int symbolTable = headers + dataSize;
        int symbolBytes = 24 * (symbols.size() + 1);
        int stringTable = symbolTable + symbolBytes;
        int sections = (stringTable + names.length + 7) & ~7;
        ByteBuffer elf = ByteBuffer.allocate(sections + 3 * 64).order(ByteOrder.LITTLE_ENDIAN);
        elf.put(new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1});
        elf.putShort(16, (short) 2).putShort(18, (short) 243).putInt(20, 1).putLong(24, entry).putLong(32, 64)
                .putLong(40, sections).putShort(52, (short) 64).putShort(54, (short) 56)
                .putShort(56, (short) loads.size()).putShort(58, (short) 64).putShort(60, (short) 3);
        int data = headers;
        for (int i = 0; i < loads.size(); i++) {
            Load load = loads.get(i);
            int header = 64 + 56 * i;
            elf.putInt(header, 1).putInt(header + 4, 7).putLong(header + 8, data).putLong(header + 16, load.address())
                    .putLong(header + 24, load.address()).putLong(header + 32, load.data().length)
                    .putLong(header + 40, load.memorySize()).putLong(header + 48, 0x1000);
            elf.put(data, load.data());
            data += load.data().length;
        }
        int nameOffset = 1;
        int symbol = symbolTable + 24;
        for (Map.Entry<String, Long> each : symbols.entrySet()) {
            elf.putInt(symbol, nameOffset).put(symbol + 4, (byte) 0x11).putLong(symbol + 8, each.getValue())
                    .putLong(symbol + 16, 8);
            nameOffset += each.getKey().length() + 1;
            symbol += 24;
        }
        elf.put(stringTable, names);
        int symtab = sections + 64;
        elf.putInt(symtab + 4, 2).putLong(symtab + 24, symbolTable).putLong(symtab + 32, symbolBytes)
                .putInt(symtab + 40, 2).putLong(symtab + 56, 24);
        int strtab = sections + 128;
        elf.putInt(strtab + 4, 3).putLong(strtab + 24, stringTable).putLong(strtab + 32, names.length);
        return elf.array();
    }

    private byte[] symbolNames() {
        StringBuilder names = new StringBuilder("\0");
        symbols.keySet().forEach(name -> names.append(name).append('\0'));
        return names.toString().getBytes(StandardCharsets.US_ASCII);
    }

    Path writeTo(Path file) {
        try {
            return Files.write(file, bytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
