package io.pogo.interpreter.sbi;

import java.util.function.IntConsumer;

/**
 * A set of harts as SBI passes it: bit i of {@code mask} names hart {@code base + i}; base -1 names all harts.
 * Walked bit by bit rather than streamed: IPIs and remote fences are exits too rare for the JIT to compile early,
 * and a stream pipeline in the JVM's bytecode interpreter cost tens of microseconds a call in a Linux boot.
 */
record HartSet(long mask, long base, int hartCount) {

    /** Whether every hart named exists (otherwise the call fails with SBI_ERR_INVALID_PARAM). */
    boolean valid() {
        if (base == -1) {
            return true;
        }
        if (base < 0 || base >= hartCount) {
            return false;
        }
        long harts = hartCount - base;
        return harts >= Long.SIZE || mask >>> harts == 0;
    }

    /** Gives each hart named to {@code action}, in ascending order; call only when {@link #valid()}. */
    void forEach(IntConsumer action) {
        if (base == -1) {
            for (int hart = 0; hart < hartCount; hart++) {
                action.accept(hart);
            }
            return;
        }
        for (long rest = mask; rest != 0; rest &= rest - 1) {
            action.accept((int) (base + Long.numberOfTrailingZeros(rest)));
        }
    }
}
