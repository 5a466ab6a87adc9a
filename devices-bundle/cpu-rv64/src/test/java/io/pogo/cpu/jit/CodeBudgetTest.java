package io.pogo.cpu.jit;

import io.pogo.api.cpu.CodeCacheStats;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The budget's accounting between the harts of one VM: shared regions counted once, a full flush written off once. */
class CodeBudgetTest {
    private static final long LIMIT = CodeBudget.MIN_LIMIT;

    @Test
    void aCompiledRegionThatSeveralBlocksOfTheVmEnterCountsOnceUntilTheLastOneGoes() {
        CodeBudget budget = new CodeBudget(LIMIT);
        long generation = budget.generation();
        CompiledRegion region = (executor, x, mmu, hart, floatUnit, start, instructions) -> 0;

        assertTrue(budget.tryChargeRegion(generation, region, 1000));
        assertTrue(budget.tryChargeRegion(generation, region, 1000));
        assertEquals(1000, budget.stats().usedBytes(), "both harts' blocks enter one region");
        budget.releaseRegion(generation, region);
        assertEquals(1000, budget.stats().usedBytes(), "one block still enters it");
        budget.releaseRegion(generation, region);
        assertEquals(0, budget.stats().usedBytes());
        assertFalse(budget.tryChargeRegion(generation, region, LIMIT + 1), "a region past the limit does not fit");
    }

    @Test
    void aFullFlushWritesOffEveryHartsCodeOnce() {
        CodeBudget budget = new CodeBudget(LIMIT);
        long first = budget.generation();
        assertTrue(budget.tryCharge(first, LIMIT - 10));
        assertFalse(budget.tryCharge(first, 11), "past the limit");

        budget.flushAll(first);
        budget.flushAll(first);

        assertEquals(new CodeCacheStats(LIMIT, 0, LIMIT - 10, 1), budget.stats(), "one flush, not two");
        assertTrue(budget.generation() != first, "other harts see their code is written off");
        assertFalse(budget.tryCharge(first, 1), "code of the old generation is not charged any more");
        budget.release(first, LIMIT - 10);
        assertEquals(0, budget.stats().usedBytes(), "nor given back");
        assertTrue(budget.tryCharge(budget.generation(), LIMIT), "the new generation has the whole limit");
    }
}
