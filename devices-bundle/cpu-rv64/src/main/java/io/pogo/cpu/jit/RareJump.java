package io.pogo.cpu.jit;

import java.lang.classfile.CodeBuilder;
import java.lang.classfile.Label;
import java.lang.classfile.instruction.SwitchCase;
import java.util.List;

/**
 * A jump a compiled region takes rarely but surely: out at a loop's back edge when the budget is spent or the hart
 * wants attention, to the slow path when the TLB misses, out when a store changed decoded code. An {@code if} the
 * profile never saw taken, C2 compiles into a trap that throws the region's compiled method away when first taken,
 * to profile and compile it all again: in bench.elf, most recompilations of regions were an outer loop's budget
 * check, first reached at the end of a quantum after C2 had compiled the region. A {@code lookupswitch} with the
 * one case C2 compiles as a real branch whatever the profile says, as the JVM profiles no switch
 * ({@code -XX:-UseSwitchProfiling}, scripts/common.sh), and takes its lone case for the unlikely side, so the jump
 * still goes out of line.
 */
final class RareJump {
    private RareJump() {
    }

    /** Takes the int off the stack and jumps to {@code target} if it equals {@code value}, else falls through. */
    static void ifEqual(CodeBuilder code, int value, Label target) {
        Label next = code.newLabel();
        code.lookupswitch(next, List.of(SwitchCase.of(value, target)));
        code.labelBinding(next);
    }

    /** Takes the long off the stack and jumps to {@code target} if it is negative. */
    static void ifNegative(CodeBuilder code, Label target) {
        code.bipush(63).lushr().l2i();
        ifEqual(code, 1, target);
    }
}
