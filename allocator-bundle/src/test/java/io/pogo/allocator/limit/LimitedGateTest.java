package io.pogo.allocator.limit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pogo.api.allocator.RateLimit;
import org.junit.jupiter.api.Test;

/** The token buckets on a clock the test moves: what passes, and how long the rest waits. */
class LimitedGateTest {

    private long now = 1_000_000_000L;
    private final LimitedGate gate = new LimitedGate(() -> now);

    @Test
    void anUnlimitedGateLetsEverythingThrough() {
        assertEquals(0, gate.take(Long.MAX_VALUE / 2));
    }

    @Test
    void theByteBucketStartsFullRefillsAtItsRateAndNeverHoldsMoreThanASecond() {
        gate.set(new RateLimit(1000, 0, 0, 0));
        assertEquals(0, gate.take(600));
        assertEquals(0, gate.take(400));
        assertEquals(500_000_000L, gate.take(500), "500 bytes at 1000/s come in half a second");
        now += 500_000_000L;
        assertEquals(0, gate.take(500));
        now += 10_000_000_000L;
        assertEquals(0, gate.take(1000));
        assertTrue(gate.take(1) > 0, "ten idle seconds still fill only one second's bucket");
    }

    @Test
    void theOneTimeBurstIsSpentFirstAndNotRefilled() {
        gate.set(new RateLimit(1000, 3000, 0, 0));
        assertEquals(0, gate.take(3000));
        assertEquals(0, gate.take(1000));
        assertTrue(gate.take(1) > 0);
        now += 5_000_000_000L;
        assertEquals(0, gate.take(1000));
        assertTrue(gate.take(1) > 0, "the burst does not come back");
    }

    @Test
    void anOperationLargerThanTheBucketPassesWhenItIsFullAndLeavesItInDebt() {
        gate.set(new RateLimit(1000, 0, 0, 0));
        assertEquals(0, gate.take(4000));
        assertEquals(4_000_000_000L, gate.take(1000), "three seconds of debt, then one second for the next 1000");
    }

    @Test
    void operationsAreCountedInTheirOwnBucket() {
        gate.set(new RateLimit(0, 0, 2, 1));
        assertEquals(0, gate.take(1 << 30));
        assertEquals(0, gate.take(1 << 30));
        assertEquals(0, gate.take(1 << 30));
        assertEquals(500_000_000L, gate.take(1));
    }

    @Test
    void bothBucketsMustHoldTheirTokensAndNeitherIsChargedOtherwise() {
        gate.set(new RateLimit(1000, 0, 1, 0));
        assertEquals(0, gate.take(100));
        assertEquals(1_000_000_000L, gate.take(100), "no operation token left");
        now += 1_000_000_000L;
        assertEquals(0, gate.take(1000), "the byte bucket was not charged for the refused operation");
    }
}
