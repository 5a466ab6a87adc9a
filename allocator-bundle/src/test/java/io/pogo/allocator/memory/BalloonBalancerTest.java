package io.pogo.allocator.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pogo.allocator.memory.BalloonBalancer.Guest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BalloonBalancerTest {

    private static final long M = 1 << 20;

    @Test
    void withinTheBudgetNothingChanges() {
        assertEquals(Map.of(), BalloonBalancer.plan(1000 * M, List.of(
                new Guest("a", 256 * M, 200 * M, 100 * M, 0, 0),
                new Guest("b", 256 * M, 200 * M, -1, 0, 0))));
    }

    @Test
    void overTheBudgetTheGuestsWithTheMostFreeMemoryGiveItLeavingHeadroom() {
        Map<String, Long> plan = BalloonBalancer.plan(400 * M, List.of(
                new Guest("busy", 256 * M, 250 * M, 20 * M, 0, 0),
                new Guest("idle", 256 * M, 250 * M, 200 * M, 0, 0),
                new Guest("silent", 256 * M, 50 * M, -1, 0, 0)));
        assertEquals(Map.of("idle", 150 * M), plan, "150M over the budget, all from the idle guest");
    }

    @Test
    void aGuestGivesNoMoreThanItsFreeMemoryLessHeadroom() {
        Map<String, Long> plan = BalloonBalancer.plan(100 * M, List.of(
                new Guest("a", 256 * M, 250 * M, 100 * M, 0, 10 * M),
                new Guest("b", 256 * M, 250 * M, 50 * M, 0, 0)));
        assertEquals(Map.of("a", 10 * M + 68 * M, "b", 18 * M), plan, "headroom is an eighth of RAM: 32M");
    }

    @Test
    void clearlyBelowTheBudgetTheShortGuestGetsItsMemoryBackFirstButNotBelowTheUsersFloor() {
        Map<String, Long> plan = BalloonBalancer.plan(1000 * M, List.of(
                new Guest("roomy", 256 * M, 100 * M, 150 * M, 0, 100 * M),
                new Guest("short", 256 * M, 100 * M, 4 * M, 60 * M, 200 * M)));
        assertEquals(Map.of("roomy", 0L, "short", 60 * M), plan);

        Map<String, Long> tight = BalloonBalancer.plan(380 * M, List.of(
                new Guest("roomy", 256 * M, 160 * M, 150 * M, 0, 100 * M),
                new Guest("short", 256 * M, 160 * M, 4 * M, 0, 200 * M)));
        assertEquals(Map.of("short", 200 * M - 22 * M), tight, "only 90% of the budget less what is held: 22M");
    }
}
