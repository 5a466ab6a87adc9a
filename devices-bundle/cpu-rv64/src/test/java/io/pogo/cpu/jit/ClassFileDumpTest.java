package io.pogo.cpu.jit;

import io.pogo.cpu.decode.Decoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.classfile.ClassFile;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Writing a loaded region's class file for javap, named as profiles name its hidden class. */
class ClassFileDumpTest {
    private static final int ADDI = 0x0015_0513;
    private static final int JALR = 0x0000_8067;

    @TempDir
    Path directory;

    private final RegionCompiler compiler = new RegionCompiler();

    private RegionCompiler.Translation translation() {
        int[] raws = {ADDI, JALR};
        Block[] blocks = new Block[raws.length];
        long[] offsets = new long[raws.length];
        for (int k = 0; k < raws.length; k++) {
            blocks[k] = new Block(new long[] {Decoder.decode(raws[k])}, new int[] {raws[k]}, new int[] {0}, 4, false);
            offsets[k] = 4L * k;
        }
        return compiler.translate(new Region(blocks, offsets, Arena.ofAuto().allocate(4096)));
    }

    @Test
    void theClassFileIsWrittenUnderItsHiddenClassName() throws IOException {
        RegionCompiler.Translation translation = translation();
        Class<?> region = compiler.load(translation).getClass();

        ClassFileDump.write(region, translation.classFile(), directory.resolve("regions").toString());

        Path file = directory.resolve("regions").resolve(region.getName().replace('/', '+') + ".class");
        assertArrayEquals(translation.classFile(), Files.readAllBytes(file));
        assertTrue(ClassFile.of().parse(Files.readAllBytes(file)).methods().stream()
                .anyMatch(method -> method.methodName().equalsString("run")));
    }

    @Test
    void aDirectoryThatCannotBeWrittenCostsTheRegionNothing() throws IOException {
        RegionCompiler.Translation translation = translation();
        Class<?> region = compiler.load(translation).getClass();
        Path notADirectory = Files.writeString(directory.resolve("file"), "taken");

        ClassFileDump.write(region, translation.classFile(), notADirectory.toString());

        assertArrayEquals("taken".getBytes(), Files.readAllBytes(notADirectory));
    }
}
