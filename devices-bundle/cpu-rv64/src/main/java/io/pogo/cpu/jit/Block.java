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
    /** What {@link #region} costs the host, in estimated bytes, charged apart from the block ({@link CodeBudget}). */
    long regionFootprint;
    /** The region the background compiler finished for this block, until the vCPU installs it. */
    public volatile BackgroundCompiler.Ready ready;
    /** The {@link CodeCache} trim pass this block was last looked up or decoded in. */
    long usedAt;

    private Block firstSuccessor;
    private long[] firstSuccessorCode;
    private long firstSuccessorPc;
    private long firstSuccessorEpoch = -1;
    private Block secondSuccessor;
    private long[] secondSuccessorCode;
    private long secondSuccessorPc;
    private long secondSuccessorEpoch = -1;

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
        if (firstSuccessorPc == pc && firstSuccessorEpoch == epoch) {
            return firstSuccessor;
        }
        if (secondSuccessorPc == pc && secondSuccessorEpoch == epoch) {
            return secondSuccessor;
        }
        return null;
    }

    /** The {@link #code} of {@code successor}, which {@link #successor} returned, read from the link alone. */
    public long[] successorCode(Block successor) {
        return successor == firstSuccessor ? firstSuccessorCode : secondSuccessorCode;
    }

    void forgetSuccessors() {
        firstSuccessor = null;
        firstSuccessorCode = null;
        firstSuccessorEpoch = -1;
        secondSuccessor = null;
        secondSuccessorCode = null;
        secondSuccessorEpoch = -1;
    }

    public void link(long pc, Block successor, long epoch) {
        if (successor.spansPages) {
            return;
        }
        if (firstSuccessorEpoch != epoch || firstSuccessorPc == pc) {
            firstSuccessor = successor;
            firstSuccessorCode = successor.code;
            firstSuccessorPc = pc;
            firstSuccessorEpoch = epoch;
        } else {
            secondSuccessor = successor;
            secondSuccessorCode = successor.code;
            secondSuccessorPc = pc;
            secondSuccessorEpoch = epoch;
        }
    }
}
