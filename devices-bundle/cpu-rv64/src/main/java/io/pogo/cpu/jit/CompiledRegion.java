package io.pogo.cpu.jit;

import io.pogo.cpu.HartState;
import io.pogo.cpu.fpu.FloatUnit;
import io.pogo.cpu.interpreter.Executor;
import io.pogo.cpu.mmu.Mmu;

/**
 * A region translated to JVM bytecode by {@link RegionCompiler}: blocks of one guest page that static control flow
 * links, with the guest registers in JVM locals and the region's loops as JVM loops.
 */
public interface CompiledRegion {
    /** {@link #run}'s result when the region handed an instruction left to the interpreter over to the executor. */
    int HANDED_OVER = -1;

    /**
     * Runs the region from its entry block at virtual address {@code start} until control leaves it, or, at a
     * loop's back edge, the hart's attention is wanted or {@link HartState#retired} has reached {@code budget}
     * more than at entry. On leaving, the registers, pc and retired count are exact. Returns 0, or
     * {@link #HANDED_OVER} when a block's last instruction is left to the interpreter: the executor's
     * {@link Executor#at current instruction} then names it, and everything before it has run, and everything before
     * its block has retired. Before anything that may trap or exit, the current instruction is set the same way and
     * the retired count brought up to its block, and a trap writes the registers back before it leaves the region.
     */
    int run(Executor executor, long[] x, Mmu mmu, HartState hart, FloatUnit floatUnit, long start, long budget);
}
