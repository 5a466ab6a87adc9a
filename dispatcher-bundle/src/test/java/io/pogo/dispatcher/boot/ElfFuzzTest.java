package io.pogo.dispatcher.boot;

import static io.pogo.dispatcher.OneSentence.assertOneSentence;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pogo.api.vm.Firmware;
import io.pogo.api.vm.VmConfig;
import io.pogo.dispatcher.FuzzSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AddLifecycleHook;

/**
 * The ELF loader fed random bytes and damaged copies of the real test guests: the header and program header
 * fields set to extreme values, bytes flipped, files cut short, segments that wrap past the end of the 64-bit
 * address space. Whatever it is given, it loads the file or says in one sentence why not; and what it loads lies
 * inside guest RAM.
 */
@AddLifecycleHook(FuzzSettings.class)
class ElfFuzzTest {

    private static final Path GUESTS = Path.of("../guests/target/elf");
    private static final long RAM_BASE = 0x8000_0000L;
    private static final long RAM_BYTES = 128L << 20;
    private static final int PROGRAM_HEADER = 56;
    private static final int SECTION_HEADER = 64;
    /** Segments may share file bytes, but a small file must not make the loader hold a heap's worth of copies. */
    private static final long AMPLIFICATION = 16;

    /** A field of the ELF header: where it is and how wide. */
    private record Field(String name, int offset, int size) {
    }

    private static final List<Field> HEADER_FIELDS = List.of(new Field("EI_CLASS", 4, 1), new Field("EI_DATA", 5, 1),
            new Field("e_type", 16, 2), new Field("e_machine", 18, 2), new Field("e_entry", 24, 8),
            new Field("e_phoff", 32, 8), new Field("e_shoff", 40, 8), new Field("e_phentsize", 54, 2),
            new Field("e_phnum", 56, 2), new Field("e_shentsize", 58, 2), new Field("e_shnum", 60, 2),
            new Field("e_shstrndx", 62, 2));
    private static final List<Field> PROGRAM_HEADER_FIELDS = List.of(new Field("p_type", 0, 4),
            new Field("p_offset", 8, 8), new Field("p_vaddr", 16, 8), new Field("p_paddr", 24, 8),
            new Field("p_filesz", 32, 8), new Field("p_memsz", 40, 8));
    private static final List<Field> SECTION_HEADER_FIELDS = List.of(new Field("sh_type", 4, 4),
            new Field("sh_offset", 24, 8), new Field("sh_size", 32, 8), new Field("sh_link", 40, 4),
            new Field("sh_entsize", 56, 8));

    /** One way of damaging a file; each says what it did, so a failure report reads as a recipe. */
    sealed interface Damage {
        byte[] applyTo(byte[] elf);
    }

    record SetField(String field, int offset, int size, long value) implements Damage {
        @Override
        public byte[] applyTo(byte[] elf) {
            for (int i = 0; i < size && offset + i < elf.length; i++) {
                elf[offset + i] = (byte) (value >>> (8 * i));
            }
            return elf;
        }
    }

    record FlipByte(int offset, byte value) implements Damage {
        @Override
        public byte[] applyTo(byte[] elf) {
            if (offset < elf.length) {
                elf[offset] = value;
            }
            return elf;
        }
    }

    record Truncate(int length) implements Damage {
        @Override
        public byte[] applyTo(byte[] elf) {
            return Arrays.copyOf(elf, Math.min(length, elf.length));
        }
    }

    /** A segment moved to {@code below} bytes under 2^64 and grown past it. */
    record WrapSegment(int programHeader, long below, long beyond) implements Damage {
        @Override
        public byte[] applyTo(byte[] elf) {
            new SetField("p_paddr", programHeader + 24, 8, -below).applyTo(elf);
            return new SetField("p_memsz", programHeader + 40, 8, below + beyond).applyTo(elf);
        }
    }

    /** The program header table re-described: starting at one of its entries, of another size, or many more. */
    record ProgramTable(int offset, int entrySize, int count) implements Damage {
        @Override
        public byte[] applyTo(byte[] elf) {
            new SetField("e_phoff", 32, 8, offset).applyTo(elf);
            new SetField("e_phentsize", 54, 2, entrySize).applyTo(elf);
            return new SetField("e_phnum", 56, 2, count).applyTo(elf);
        }
    }

    /** A segment that claims more file bytes than there are, with room enough in memory to be believed. */
    record GrowSegment(int programHeader, long fileSize, long extra) implements Damage {
        @Override
        public byte[] applyTo(byte[] elf) {
            new SetField("p_filesz", programHeader + 32, 8, fileSize).applyTo(elf);
            return new SetField("p_memsz", programHeader + 40, 8, fileSize + extra).applyTo(elf);
        }
    }

    /** A guest and what was done to it. */
    record Damaged(String guest, List<Damage> damage, byte[] bytes) {
        @Override
        public String toString() {
            return guest + " " + damage;
        }
    }

    @Property(tries = 400)
    void damagedElfIsParsedOrRejectedInOneSentence(@ForAll("damagedGuests") Damaged elf) {
        try {
            ElfImage image = ElfImage.parse(Path.of("guest.elf"), elf.bytes());
            long held = 0;
            for (ElfImage.Segment segment : image.segments()) {
                assertTrue(segment.data().length <= segment.memorySize(), segment.toString());
                held += segment.data().length;
            }
            assertTrue(held <= AMPLIFICATION * elf.bytes().length, "a file of " + elf.bytes().length
                    + " bytes makes the loader hold " + held);
        } catch (IllegalArgumentException rejected) {
            assertOneSentence(rejected.getMessage());
        }
    }

    @Property(tries = 300)
    void damagedElfBootsOnlyInsideGuestRam(@ForAll("damagedGuests") Damaged elf, @ForAll boolean builtinFirmware)
            throws IOException {
        Path file = Files.createTempFile("pogo-fuzz-", ".elf");
        try {
            Files.write(file, elf.bytes());
            VmConfig config = new VmConfig("fuzz", 1, RAM_BYTES,
                    builtinFirmware ? new Firmware.Builtin() : new Firmware.None(), file, null, "", List.of());
            BootPlan plan = BootPlan.prepare(config, RAM_BASE);
            for (BootPlan.Image image : plan.images()) {
                assertTrue(Long.compareUnsigned(image.address(), RAM_BASE) >= 0
                        && Long.compareUnsigned(image.address(), RAM_BASE + RAM_BYTES) <= 0
                        && Long.compareUnsigned(image.size(), RAM_BASE + RAM_BYTES - image.address()) <= 0
                        && image.contents().length() <= image.size(), image.what() + " at 0x"
                        + Long.toHexString(image.address()) + " size 0x" + Long.toHexString(image.size()));
            }
        } catch (IllegalArgumentException rejected) {
            assertOneSentence(rejected.getMessage());
        } finally {
            Files.delete(file);
        }
    }

    @Property(tries = 300)
    void randomBytesAreRejectedInOneSentence(@ForAll @Size(max = 2048) byte[] bytes, @ForAll boolean elfMagic) {
        byte[] file = bytes;
        if (elfMagic) {
            file = Arrays.copyOf(new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1}, 7 + bytes.length);
            System.arraycopy(bytes, 0, file, 7, bytes.length);
        }
        try {
            ElfImage.parse(Path.of("random.bin"), file);
        } catch (IllegalArgumentException rejected) {
            assertOneSentence(rejected.getMessage());
        }
    }

    /** What the properties found first, kept as examples: each once made the loader do harm. */
    @Example
    void programHeadersOfAnotherSizeAreRefusedRatherThanReadAgainAndAgain() throws IOException {
        byte[] elf = Files.readAllBytes(GUESTS.resolve("hello.elf"));
        new ProgramTable(firstLoadSegment(elf), 0, 0xffff).applyTo(elf);
        assertEquals("guest.elf: corrupt ELF header (program headers of 0 bytes, not 56)",
                assertThrows(IllegalArgumentException.class, () -> ElfImage.parse(Path.of("guest.elf"), elf))
                        .getMessage());
    }

    @Example
    void segmentClaimingTwoGigabytesOfFileIsRefusedBeforeAnythingIsAllocated() throws IOException {
        byte[] elf = Files.readAllBytes(GUESTS.resolve("hello.elf"));
        new GrowSegment(firstLoadSegment(elf), 0x7fff_ffffL, 0).applyTo(elf);
        assertOneSentence(assertThrows(IllegalArgumentException.class,
                () -> ElfImage.parse(Path.of("guest.elf"), elf)).getMessage());
    }

    @Example
    void segmentWrappingPastTheAddressSpaceDoesNotBoot() throws IOException {
        byte[] elf = Files.readAllBytes(GUESTS.resolve("hello.elf"));
        new WrapSegment(firstLoadSegment(elf), 1, 0x1000).applyTo(elf);
        Path file = Files.createTempFile("pogo-fuzz-", ".elf");
        try {
            Files.write(file, elf);
            VmConfig config = new VmConfig("fuzz", 1, RAM_BYTES, new Firmware.None(), file, null, "", List.of());
            assertOneSentence(assertThrows(IllegalArgumentException.class, () -> BootPlan.prepare(config, RAM_BASE))
                    .getMessage());
        } finally {
            Files.delete(file);
        }
    }

    private static int firstLoadSegment(byte[] elf) {
        ByteBuffer header = ByteBuffer.wrap(elf).order(ByteOrder.LITTLE_ENDIAN);
        int table = (int) header.getLong(32);
        for (int i = 0; i < header.getShort(56); i++) {
            if (header.getInt(table + PROGRAM_HEADER * i) == 1) {
                return table + PROGRAM_HEADER * i;
            }
        }
        throw new AssertionError("no PT_LOAD segment");
    }

    @Provide
    Arbitrary<Damaged> damagedGuests() {
        return Arbitraries.of(guests()).flatMap(guest -> {
            byte[] original = read(guest);
            return damage(original).list().ofMinSize(1).ofMaxSize(5).map(damage -> {
                byte[] bytes = original.clone();
                for (Damage step : damage) {
                    bytes = step.applyTo(bytes);
                }
                return new Damaged(guest.getFileName().toString(), damage, bytes);
            });
        });
    }

    private static Arbitrary<Damage> damage(byte[] elf) {
        ByteBuffer header = ByteBuffer.wrap(elf).order(ByteOrder.LITTLE_ENDIAN);
        int programHeaders = (int) header.getLong(32);
        int programCount = Short.toUnsignedInt(header.getShort(56));
        int sectionHeaders = (int) header.getLong(40);
        int sectionCount = Short.toUnsignedInt(header.getShort(60));
        Arbitrary<Integer> programHeader = Arbitraries.integers().between(0, programCount - 1)
                .map(i -> programHeaders + PROGRAM_HEADER * i);
        Arbitrary<Damage> headerField = Combinators.combine(Arbitraries.of(HEADER_FIELDS), extreme(elf.length))
                .as((field, value) -> new SetField(field.name(), field.offset(), field.size(), value));
        Arbitrary<Damage> programField = Combinators.combine(programHeader, Arbitraries.of(PROGRAM_HEADER_FIELDS),
                extreme(elf.length)).as((at, field, value) ->
                new SetField(field.name(), at + field.offset(), field.size(), value));
        Arbitrary<Damage> sectionField = Combinators.combine(
                Arbitraries.integers().between(0, Math.max(0, sectionCount - 1))
                        .map(i -> sectionHeaders + SECTION_HEADER * i),
                Arbitraries.of(SECTION_HEADER_FIELDS), extreme(elf.length)).as((at, field, value) ->
                new SetField(field.name(), at + field.offset(), field.size(), value));
        Arbitrary<Damage> flip = Combinators.combine(
                Arbitraries.oneOf(Arbitraries.integers().between(0, 63),
                        Arbitraries.integers().between(programHeaders,
                                programHeaders + PROGRAM_HEADER * programCount - 1),
                        Arbitraries.integers().between(0, elf.length - 1)),
                Arbitraries.bytes()).as(FlipByte::new);
        Arbitrary<Damage> truncate = Arbitraries.integers().between(0, elf.length - 1).map(Truncate::new);
        Arbitrary<Damage> wrap = Combinators.combine(programHeader,
                Arbitraries.longs().between(1, 1L << 20), Arbitraries.longs().between(1, 1L << 20))
                .as(WrapSegment::new);
        Arbitrary<Damage> table = Combinators.combine(programHeader,
                Arbitraries.oneOf(Arbitraries.of(0, 1, 8, 55, 56, 57, 64, 0xffff), Arbitraries.integers().between(0, 0xffff)),
                Arbitraries.oneOf(Arbitraries.of(0, 1, 2, 0x8000, 0xffff), Arbitraries.integers().between(0, 0xffff)))
                .as(ProgramTable::new);
        Arbitrary<Damage> grow = Combinators.combine(programHeader, Arbitraries.oneOf(extreme(elf.length),
                        Arbitraries.of(0x7fff_fff0L, 0x7fff_ffffL, 1L << 31, elf.length + 1L)),
                Arbitraries.longs().between(0, 1L << 20)).as(GrowSegment::new);
        return Arbitraries.frequencyOf(
                Tuple.of(3, headerField), Tuple.of(5, programField),
                Tuple.of(2, sectionField), Tuple.of(3, flip),
                Tuple.of(1, truncate), Tuple.of(2, wrap), Tuple.of(2, table),
                Tuple.of(2, grow));
    }

    /** Values at the edges: zero, all ones, the sign bits, the file's own length and its neighbours, RAM's start. */
    private static Arbitrary<Long> extreme(int fileLength) {
        return Arbitraries.oneOf(Arbitraries.of(0L, 1L, -1L, Long.MIN_VALUE, Long.MAX_VALUE, 0x7fff_ffffL,
                0x8000_0000L, 0xffff_ffffL, 1L << 32, -4096L, -0x8000_0000L, 0x8020_0000L, 0xffffL, 56L, 64L,
                (long) fileLength, fileLength - 1L, fileLength + 1L), Arbitraries.longs());
    }

    private static List<Path> guests() {
        try (Stream<Path> files = Files.list(GUESTS)) {
            List<Path> elves = files.filter(file -> file.toString().endsWith(".elf")).sorted().toList();
            assertTrue(elves.size() > 3, "the test guests are built (make -C guests)");
            return elves;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
