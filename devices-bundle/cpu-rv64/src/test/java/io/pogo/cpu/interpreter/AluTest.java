package io.pogo.cpu.interpreter;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Alu's comparisons compute without a branch; they must agree with Java's own on the edges and at random. */
class AluTest {
    private static final long[] EDGES = {0, 1, -1, 2, -2, Long.MIN_VALUE, Long.MAX_VALUE, Long.MIN_VALUE + 1,
            Long.MAX_VALUE - 1, Integer.MIN_VALUE, Integer.MAX_VALUE, 0xFFFF_FFFFL, 0x8000_0000L};

    @Test
    void comparisonsAgreeWithJavasOnEdgesAndRandomPairs() {
        SplittableRandom random = new SplittableRandom(7);
        long[] values = LongStream.concat(LongStream.of(EDGES), random.longs(200)).toArray();
        for (long a : values) {
            for (long b : values) {
                String pair = a + ", " + b;
                assertEquals(a == b ? 1 : 0, Alu.equal(a, b), "equal " + pair);
                assertEquals(a < b ? 1 : 0, Alu.lessThan(a, b), "lessThan " + pair);
                assertEquals(Long.compareUnsigned(a, b) < 0 ? 1 : 0, Alu.lessThanUnsigned(a, b),
                        "lessThanUnsigned " + pair);
            }
        }
    }
}
