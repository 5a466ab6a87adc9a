package io.pogo.interpreter.sbi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HartSetTest {

    @Test
    void namesTheHartsOfTheMaskFromTheBaseInAscendingOrder() {
        assertEquals(List.of(1, 3), named(new HartSet(0b1010, 0, 4)));
        assertEquals(List.of(2, 3), named(new HartSet(0b11, 2, 4)));
        assertEquals(List.of(0, 1, 2), named(new HartSet(0, -1, 3)));
        assertEquals(List.of(), named(new HartSet(0, 0, 2)));
    }

    @Test
    void isValidOnlyWhenEveryHartNamedExists() {
        assertTrue(new HartSet(0b11, 0, 2).valid());
        assertTrue(new HartSet(-1L, -1, 2).valid());
        assertTrue(new HartSet(1, 1, 2).valid());
        assertFalse(new HartSet(0b111, 0, 2).valid());
        assertFalse(new HartSet(0b10, 1, 2).valid());
        assertFalse(new HartSet(1, 2, 2).valid());
        assertFalse(new HartSet(1, -2, 2).valid());
        assertFalse(new HartSet(1L << 63, 0, 2).valid());
    }

    private static List<Integer> named(HartSet set) {
        List<Integer> harts = new ArrayList<>();
        set.forEach(harts::add);
        return harts;
    }
}
