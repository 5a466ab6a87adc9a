package io.pogo.cpu.jit;

import java.lang.classfile.CodeBuilder;
import java.lang.classfile.Label;
import java.lang.classfile.instruction.SwitchCase;
import java.util.Arrays;

/**
 * A compare a compiled region jumps out on rarely but surely: a loop's back edge once the budget is spent, and a
 * store that changed decoded code. As an {@code if} the profile never saw taken, C2 compiles it into a trap that
 * throws the region's compiled method away when first taken, to profile and compile it all again: in bench.elf,
 * most recompilations of regions were an outer loop's budget check, first reached at the end of a quantum after
 * C2 had compiled the region. A {@code lookupswitch} C2 compiles as a real branch whatever the profile says, as
 * the JVM profiles no switch ({@code -XX:-UseSwitchProfiling}, scripts/common.sh), and takes its few cases for the
 * unlikely side of the many values it does not list, so the jump still goes out of line.
 *
 * <p>The attention check and a TLB miss's hand-over stay {@code if}s: made real branches as well, they slowed the
 * compiled loops of bench.elf more than their traps' recompilations cost.
 */
final class RareJump {
    private RareJump() {
    }

    /** Takes longs a and b off the stack and jumps to {@code target} if a is not less than b. */
    static void ifNotLess(CodeBuilder code, Label target) {
        jumpOn(code.lcmp(), target, 0, 1);
    }

    /** Takes longs a and b off the stack and jumps to {@code target} if a is less than b. */
    static void ifLess(CodeBuilder code, Label target) {
        jumpOn(code.lcmp(), target, -1);
    }

    /** Takes an int off the stack and jumps to {@code target} if it is one of {@code values}, else falls through. */
    private static void jumpOn(CodeBuilder code, Label target, int... values) {
        Label next = code.newLabel();
        code.lookupswitch(next, Arrays.stream(values).mapToObj(value -> SwitchCase.of(value, target))
                .toList());
        code.labelBinding(next);
    }
}
