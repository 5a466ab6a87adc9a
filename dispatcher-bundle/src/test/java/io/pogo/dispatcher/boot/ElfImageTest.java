package io.pogo.dispatcher.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ElfImageTest {

    private static final Path HELLO = Path.of("../guests/target/elf/hello.elf");

    @Test
    void readsTheHelloGuest() {
        ElfImage hello = ElfImage.read(HELLO);
        assertEquals(0x8000_0000L, hello.entry());
        assertTrue(hello.segments().stream().anyMatch(segment -> segment.physicalAddress() == 0x8000_0000L));
        assertTrue(hello.tohost().isEmpty());
        assertTrue(hello.fromhost().isEmpty());
    }

    @Test
    void readsTheHtifWordsOfARiscvTestsStyleGuest() {
        ElfImage test = ElfImage.read(Path.of("../guests/target/elf/htif-p.elf"));
        assertEquals(0x40, test.fromhost().getAsLong() - test.tohost().getAsLong());
        assertEquals(0x7fff_f000L, test.segments().getFirst().physicalAddress(),
                "-Ttext=0x80000000 puts the ELF header page just below RAM");
    }

    @Test
    void rejectsOtherArchitecturesWithTheirName() throws Exception {
        byte[] elf = Files.readAllBytes(HELLO);
        ByteBuffer.wrap(elf).order(ByteOrder.LITTLE_ENDIAN).putShort(18, (short) 62);
        assertEquals("x: an ELF file for x86-64, not RISC-V", reject(elf));
        ByteBuffer.wrap(elf).order(ByteOrder.LITTLE_ENDIAN).putShort(18, (short) 183);
        assertEquals("x: an ELF file for AArch64, not RISC-V", reject(elf));
    }

    @Test
    void rejectsThirtyTwoBitAndBigEndianFiles() throws Exception {
        byte[] elf = Files.readAllBytes(HELLO);
        elf[4] = 1;
        assertTrue(reject(elf).contains("32-bit"));
        elf[4] = 2;
        elf[5] = 2;
        assertTrue(reject(elf).contains("big-endian"));
    }

    @Test
    void rejectsTextAndEmptyFiles() {
        assertEquals("x: not an ELF file", reject("#!/bin/sh\necho hi\n".getBytes()));
        assertEquals("x: not an ELF file", reject(new byte[0]));
    }

    @Test
    void truncatedFilesAreCorruptNotCrashes() throws Exception {
        byte[] elf = Files.readAllBytes(HELLO);
        for (int length : new int[] {5, 20, 63, 64, 100, 200, 1000}) {
            assertTrue(reject(Arrays.copyOf(elf, length)).startsWith("x: "), "length " + length);
        }
    }

    /** Random damage to a valid file either still parses or is rejected with a one-line reason: never a crash. */
    @Test
    void damagedHeadersNeverEscapeAsOtherExceptions() throws Exception {
        byte[] original = Files.readAllBytes(HELLO);
        Random random = new Random(42);
        for (int round = 0; round < 2000; round++) {
            byte[] elf = original.clone();
            for (int flips = 1 + random.nextInt(4); flips > 0; flips--) {
                elf[random.nextInt(Math.min(elf.length, 256))] = (byte) random.nextInt();
            }
            try {
                ElfImage.parse(Path.of("x"), elf);
            } catch (IllegalArgumentException expected) {
                assertEquals(1, expected.getMessage().lines().count());
            }
        }
    }

    private static String reject(byte[] bytes) {
        return assertThrows(IllegalArgumentException.class, () -> ElfImage.parse(Path.of("x"), bytes)).getMessage();
    }
}
