package io.pogo.interpreter.sbi;

import java.util.stream.IntStream;

/** A set of harts as SBI passes it: bit i of {@code mask} names hart {@code base + i}; base -1 names all harts. */
record HartSet(long mask, long base, int hartCount) {

    /** Whether every hart named exists (otherwise the call fails with SBI_ERR_INVALID_PARAM). */
    boolean valid() {
        return base == -1 || base >= 0 && base < hartCount && named().allMatch(hart -> hart < hartCount);
    }

    IntStream harts() {
        return base == -1 ? IntStream.range(0, hartCount) : named();
    }

    private IntStream named() {
        return IntStream.range(0, 64).filter(bit -> (mask >>> bit & 1) != 0).map(bit -> (int) (base + bit));
    }
}
