package io.pogo.cpu;

/**
 * A decoded basic block: straight-line instructions ending at a control transfer, an instruction that may leave
 * the CPU, or the end of its page. Pc-relative immediates are rebased to the block's start, so one block serves
 * every virtual address its physical page is mapped at.
 *
 * @param code       the instructions in {@link Decoded} form
 * @param raw        each instruction's original bits (16 or 32), for trap values and exits
 * @param offsets    each instruction's byte offset from the block start
 * @param byteLength the block's size in bytes: the fall-through pc is start + byteLength
 */
record Block(long[] code, int[] raw, int[] offsets, int byteLength) {

    int instructionLength(int index) {
        int end = index + 1 < offsets.length ? offsets[index + 1] : byteLength;
        return end - offsets[index];
    }
}
