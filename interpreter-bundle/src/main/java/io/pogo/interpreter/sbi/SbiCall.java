package io.pogo.interpreter.sbi;

import io.pogo.api.cpu.Hart;
import io.pogo.api.dispatch.VmContext;

/** One SBI call: the calling hart, its VM, the function id (a6) and the arguments a0..a5. */
record SbiCall(Hart hart, VmContext vm, int function, long[] args) {

    long arg(int index) {
        return args[index];
    }

    /** The harts named by an SBI hart mask: bit i of {@code mask} is hart {@code base + i}; base -1 is every hart. */
    HartSet targets(int maskArg, int baseArg) {
        return new HartSet(arg(maskArg), arg(baseArg), vm.harts().size());
    }
}
