package io.pogo.allocator.memory;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BalloonMemoryTest {

    private static final long MIB = 1L << 20;

    @Test
    void firstTouchesPastTheBudgetAreBackedForTheBalloonsToReclaimWhereOnDemandWaits() {
        assertTrue(new BalloonMemory().backOnTouch("vm", MIB, 0));
        assertFalse(new OnDemandMemory().backOnTouch("vm", MIB, 0));
    }
}
