package io.pogo.interpreter.privileged;

import io.pogo.api.cpu.CsrAddress;
import io.pogo.api.cpu.Hart;
import io.pogo.api.cpu.Interrupt;
import io.pogo.api.dispatch.VmContext;

/**
 * Sstc's stimecmp: each write makes the supervisor timer interrupt pending from the moment time reaches the new
 * value on, and clear before it, on the VM's timebase, which raises it on time even while the hart sleeps in WFI.
 * As QEMU 7.2 does, a write arms the compare whatever menvcfg.STCE says; STCE decides whether supervisor mode may
 * reach stimecmp and whether software may still write mip.STIP. The SBI timer programs the same compare, as
 * OpenSBI does on harts with Sstc.
 */
public final class SupervisorTimerCompare implements CsrRule {
    static final SupervisorTimerCompare INSTANCE = new SupervisorTimerCompare();

    private SupervisorTimerCompare() {
    }

    /** Sets the calling hart's stimecmp to {@code deadline} and arms the supervisor timer on it. */
    public static void program(Hart hart, VmContext vm, long deadline) {
        hart.writeCsr(CsrAddress.STIMECMP, deadline);
        vm.timebase().arm(hart.id(), Interrupt.SUPERVISOR_TIMER, deadline);
    }

    @Override
    public long read(Hart hart, VmContext vm) {
        return hart.readCsr(CsrAddress.STIMECMP);
    }

    @Override
    public void write(Hart hart, VmContext vm, long value) {
        program(hart, vm, value);
    }
}
