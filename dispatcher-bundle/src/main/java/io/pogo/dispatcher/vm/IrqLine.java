package io.pogo.dispatcher.vm;

import io.pogo.api.device.InterruptLine;

/** A device's interrupt line, wired to the VM's interrupt controller (the PLIC). */
final class IrqLine implements InterruptLine {

    private final int number;
    private final Vm vm;

    IrqLine(int number, Vm vm) {
        this.number = number;
        this.vm = vm;
    }

    @Override
    public int number() {
        return number;
    }

    @Override
    public void setLevel(boolean asserted) {
        vm.interruptSource(number, asserted);
    }
}
