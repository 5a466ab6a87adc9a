package io.pogo.cpu.jit;

import io.pogo.cpu.decode.Decoder;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/** The cache of compiled regions VMs share: found by the code they translate and the host space, compared in full. */
class SharedTranslationsTest {
    private static final int ADDI = 0x0015_0513;
    private static final int JALR = 0x0000_8067;

    private final MemorySegment space = Arena.ofAuto().allocate(4096);
    private final SharedTranslations translations = new SharedTranslations();
    private final CompiledRegion compiled = (executor, x, mmu, hart, floatUnit, start, budget) -> 0;

    /** A region of freshly decoded blocks, as another VM's code cache would build it from the same bytes. */
    private static Region region(MemorySegment space, int... raws) {
        Block[] blocks = new Block[raws.length];
        long[] offsets = new long[raws.length];
        for (int k = 0; k < raws.length; k++) {
            blocks[k] = new Block(new long[] {Decoder.decode(raws[k])}, new int[] {raws[k]}, new int[] {0}, 4, false);
            offsets[k] = 4L * k;
        }
        return new Region(blocks, offsets, space);
    }

    @Test
    void aRegionOfTheSameCodeDecodedByAnotherVmFindsTheCompiledOne() {
        translations.share(new SharedTranslations.Key(region(space, ADDI, JALR)),
                new BackgroundCompiler.Ready(compiled, 100));

        assertSame(compiled, translations.find(new SharedTranslations.Key(region(space, ADDI, JALR))).region());
    }

    @Test
    void otherCodeOrAnotherHostSpaceFindsNothing() {
        translations.share(new SharedTranslations.Key(region(space, ADDI, JALR)),
                new BackgroundCompiler.Ready(compiled, 100));

        assertNull(translations.find(new SharedTranslations.Key(region(space, ADDI, ADDI))));
        assertNull(translations.find(new SharedTranslations.Key(region(space, ADDI))));
        assertNull(translations.find(new SharedTranslations.Key(region(Arena.ofAuto().allocate(4096), ADDI, JALR))));
    }

    @Test
    void aRegionCompiledTwiceMeanwhileIsSharedAsTheFirstOne() {
        SharedTranslations.Key key = new SharedTranslations.Key(region(space, ADDI, JALR));
        translations.share(key, new BackgroundCompiler.Ready(compiled, 100));
        CompiledRegion late = (executor, x, mmu, hart, floatUnit, start, budget) -> 0;

        assertSame(compiled, translations.share(new SharedTranslations.Key(region(space, ADDI, JALR)),
                new BackgroundCompiler.Ready(late, 100)).region());
    }
}
