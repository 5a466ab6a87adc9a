package io.pogo.cpu;

/**
 * A block translated to JVM bytecode by {@link BlockCompiler}: same contract as the interpreter's execution of
 * the block, except that on a fault it leaves the faulting instruction's index in {@link HartState#faultIndex}.
 */
interface CompiledBlock {
    /** Runs the whole block starting at virtual address {@code start}; returns the instructions executed. */
    int run(long[] x, Mmu mmu, HartState hart, long start);
}
