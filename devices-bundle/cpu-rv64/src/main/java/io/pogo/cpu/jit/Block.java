package io.pogo.cpu.jit;

import io.pogo.cpu.decode.Decoded;

/**
 * A decoded basic block: straight-line instructions ending at a control transfer, an instruction that may leave
 * the CPU, or the end of its page. Pc-relative immediates are rebased to the block's start, so one block serves
 * every virtual address its physical page is mapped at.
 *
 * <p>A block remembers the last two blocks that followed it (a branch has two successors) together with the
 * {@link CodeCache#epoch()} they were found in, so the dispatch loop can skip the translation and cache lookup.
 * Each link holds its successor's {@link #code} as well, so that the dispatch loop reaches the successor's
 * instructions without reading the successor first: a Linux boot runs most of its blocks a few times, and each such
 * block's object and its instructions are both cold, two cache misses that waited one for the other.
 *
 * <p>A Linux boot keeps some 60 thousand blocks alive, which the JVM's young collections copy and promote with both
 * harts stopped, so the object stays small: both links share one epoch, what a compiled region costs the budget is
 * kept by the budget, and the trim pass is an int.
 */
public final class Block {
    /** The instructions in {@link Decoded} form. */
    public final long[] code;
    /** Each instruction's original bits (16 or 32), for trap values and exits. */
    public final int[] raw;
    /** Each instruction's byte offset from the block start. */
    public final int[] offsets;
    /** The block's size in bytes: the fall-through pc is start + byteLength. */
    public final int byteLength;
    /**
     * Whether the last instruction reaches into the next page: its page holds the block, but it is never linked to,
     * cached by pc or compiled, as the next page may change under it ({@link CodeCache}).
     */
    public final boolean spansPages;

    /** Interpreted executions so far, until the block is handed to the compiler. */
    public int executions;
    /** The JIT tier's translation of the region this block enters, once the block is hot and compilable. */
    public CompiledRegion region;
    /** The region the background compiler finished for this block, until the vCPU installs it. */
    public volatile BackgroundCompiler.Ready ready;
    /** The {@link CodeCache} trim pass this block was last looked up or decoded in. */
    int usedAt;

    private Block firstSuccessor;
    private long[] firstSuccessorCode;
    private long firstSuccessorPc;
    private Block secondSuccessor;
    private long[] secondSuccessorCode;
    private long secondSuccessorPc;
    /** The epoch both links were found in: a link of an earlier one is gone, as the second is cleared at a new one. */
    private long successorsEpoch = -1;

    Block(long[] code, int[] raw, int[] offsets, int byteLength, boolean spansPages) {
        this.code = code;
        this.raw = raw;
        this.offsets = offsets;
        this.byteLength = byteLength;
        this.spansPages = spansPages;
    }

    /**
     * Estimated host bytes this block holds, for the VM's {@link CodeBudget}: the object (compressed references)
     * with its three arrays; the compiled region it enters is charged on its own, as other blocks may share it. The
     * arrays are charged to every VM whose blocks use them, though VMs share them ({@link SharedCode}): a VM's
     * budget bounds what its code alone could keep alive.
     */
    long footprint() {
        return 144 + 16L * code.length;
    }

    /**
     * The decoded instructions without this block's counters, links and region, for a compiled region's class data:
     * the class may serve other VMs, which must neither reach nor keep alive this VM's blocks through it. The copy
     * is never dispatched, so its own counters and links stay unused.
     */
    Block decodedOnly() {
        return new Block(code, raw, offsets, byteLength, spansPages);
    }

    public int instructionLength(int index) {
        return offsetOf(index + 1) - offsets[index];
    }

    /** The byte offset of instruction {@code index}; for the index past the last one, the block's length. */
    public int offsetOf(int index) {
        return index < offsets.length ? offsets[index] : byteLength;
    }

    /** The block that followed this one at {@code pc}, if still valid in {@code epoch}; otherwise null. */
    public Block successor(long pc, long epoch) {
        if (successorsEpoch != epoch) {
            return null;
        }
        if (firstSuccessorPc == pc) {
            return firstSuccessor;
        }
        return secondSuccessorPc == pc ? secondSuccessor : null;
    }

    /** The {@link #code} of {@code successor}, which {@link #successor} returned, read from the link alone. */
    public long[] successorCode(Block successor) {
        return successor == firstSuccessor ? firstSuccessorCode : secondSuccessorCode;
    }

    void forgetSuccessors() {
        firstSuccessor = null;
        firstSuccessorCode = null;
        secondSuccessor = null;
        secondSuccessorCode = null;
        successorsEpoch = -1;
    }

    public void link(long pc, Block successor, long epoch) {
        if (successor.spansPages) {
            return;
        }
        boolean newEpoch = successorsEpoch != epoch;
        if (newEpoch) {
            successorsEpoch = epoch;
            secondSuccessor = null;
            secondSuccessorCode = null;
        }
        if (newEpoch || firstSuccessorPc == pc) {
            firstSuccessor = successor;
            firstSuccessorCode = successor.code;
            firstSuccessorPc = pc;
        } else {
            secondSuccessor = successor;
            secondSuccessorCode = successor.code;
            secondSuccessorPc = pc;
        }
    }
}
