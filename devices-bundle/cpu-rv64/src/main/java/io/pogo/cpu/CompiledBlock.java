package io.pogo.cpu;

/**
 * A block translated to JVM bytecode by {@link BlockCompiler}: same contract as the interpreter's execution of
 * the block, except that on a fault it leaves the faulting instruction's index in {@link HartState#faultIndex}.
 */
interface CompiledBlock {
    /**
     * Runs the block starting at virtual address {@code start}. Returns the instructions executed and retired,
     * or {@code ~index} when the block ends in an instruction left to the interpreter: the ones before
     * {@code index} have run, nothing is retired and the pc is untouched.
     */
    int run(long[] x, Mmu mmu, HartState hart, FloatUnit floatUnit, long start);
}
