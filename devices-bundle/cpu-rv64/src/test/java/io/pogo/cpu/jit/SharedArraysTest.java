package io.pogo.cpu.jit;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertSame;

/** The table hands out the array of each content it holds, however many it holds and whatever their hashes. */
class SharedArraysTest {
    @Test
    void arraysStaySharedAsTheTableGrows() {
        SharedArrays<int[]> table = new SharedArrays<>(Arrays::hashCode, Arrays::equals);
        List<int[]> held = new ArrayList<>();
        for (int k = 0; k < 20_000; k++) {
            int[] array = {k, k >>> 3};
            assertSame(array, table.intern(array), "the first of its content");
            held.add(array);
        }
        for (int k = 0; k < held.size(); k++) {
            assertSame(held.get(k), table.intern(new int[] {k, k >>> 3}));
        }
    }

    @Test
    void arraysOfTheSameHashKeepTheirContent() {
        SharedArrays<int[]> table = new SharedArrays<>(array -> 7, Arrays::equals);
        int[] first = {1};
        int[] second = {2};

        assertSame(first, table.intern(first));
        assertSame(second, table.intern(second));
        assertSame(first, table.intern(new int[] {1}));
        assertSame(second, table.intern(new int[] {2}));
    }
}
