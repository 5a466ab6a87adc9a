package io.pogo.cpu.mmu;

import io.pogo.cpu.decode.Amo;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** LR/SC against other harts' atomics and plain stores. */
class AtomicMemoryTest {
    @Test
    void scFailsAfterOtherHartsWroteTheReservedValueBack() {
        MemorySegment ram = Arena.ofAuto().allocate(64, 8);
        ram.set(ValueLayout.JAVA_LONG, 8, 5);
        AtomicMemory atomics = new AtomicMemory(ram);
        AtomicMemory.Reservation first = new AtomicMemory.Reservation();
        assertEquals(5, atomics.loadReserved(8, 3, first));
        atomics.readModifyWrite(8, 3, Amo.SWAP, 6);
        atomics.readModifyWrite(8, 3, Amo.SWAP, 5);
        assertFalse(atomics.storeConditional(8, 3, 7, first), "A-B-A by another hart breaks the reservation");
        assertEquals(5, ram.get(ValueLayout.JAVA_LONG, 8));
        assertEquals(5, atomics.loadReserved(8, 3, first));
        assertTrue(atomics.storeConditional(8, 3, 7, first));
        assertEquals(7, ram.get(ValueLayout.JAVA_LONG, 8));
    }

    @Test
    void scFailsAfterAPlainStoreOfAnotherValue() {
        MemorySegment ram = Arena.ofAuto().allocate(64, 8);
        AtomicMemory atomics = new AtomicMemory(ram);
        AtomicMemory.Reservation reservation = new AtomicMemory.Reservation();
        atomics.loadReserved(16, 2, reservation);
        ram.set(ValueLayout.JAVA_INT, 16, 9);
        assertFalse(atomics.storeConditional(16, 2, 1, reservation));
        assertEquals(9, ram.get(ValueLayout.JAVA_INT, 16));
    }
}
