package io.pogo.cpu.jit;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/** A block links the last two blocks that followed it in the current epoch, and no block of an earlier one. */
class BlockTest {
    private static Block block(boolean spansPages) {
        return new Block(new long[1], new int[1], new int[1], 4, spansPages);
    }

    private final Block block = block(false);
    private final Block taken = block(false);
    private final Block notTaken = block(false);

    /** Links a branch's two successors, as the dispatch loop finds them, in epoch 5. */
    private void linkBothWays() {
        block.link(0x100, taken, 5);
        block.link(0x200, notTaken, 5);
    }

    @Test
    void bothSuccessorsOfABranchAreFoundWithTheirCode() {
        linkBothWays();

        assertSame(taken, block.successor(0x100, 5));
        assertSame(notTaken, block.successor(0x200, 5));
        assertSame(taken.code, block.successorCode(taken));
        assertSame(notTaken.code, block.successorCode(notTaken));
    }

    @Test
    void aNewEpochForgetsBothLinks() {
        linkBothWays();
        Block later = block(false);
        block.link(0x300, later, 6);

        assertSame(later, block.successor(0x300, 6));
        assertNull(block.successor(0x100, 6));
        assertNull(block.successor(0x200, 6), "the second link was found in the earlier epoch");
        assertNull(block.successor(0x300, 5));
    }

    @Test
    void aPcLinkedAgainKeepsItsPlaceAndTheOtherLink() {
        linkBothWays();
        Block remapped = block(false);
        block.link(0x100, remapped, 5);

        assertSame(remapped, block.successor(0x100, 5));
        assertSame(remapped.code, block.successorCode(remapped));
        assertSame(notTaken, block.successor(0x200, 5));
    }

    @Test
    void forgottenAndPageSpanningSuccessorsAreNotFound() {
        block.link(0x100, taken, 5);
        block.link(0x200, block(true), 5);
        assertNull(block.successor(0x200, 5));

        block.forgetSuccessors();

        assertNull(block.successor(0x100, 5));
    }
}
