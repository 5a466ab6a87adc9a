package io.pogo.dispatcher.vm;

import io.pogo.api.device.InterruptLine;

/**
 * A device's interrupt line, wired to the VM's interrupt controller (the PLIC). Devices raise it from threads of
 * their own too (alarms, network receivers): when raising it breaks in the host, the VM fails there and then,
 * rather than the thread dying and the guest waiting for an interrupt that never comes.
 */
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
        try {
            vm.interruptSource(number, asserted);
        } catch (RuntimeException | Error e) {
            vm.fail("interrupt line " + number, e);
        }
    }
}
