package io.pogo.dispatcher.vm;

import io.pogo.api.device.InterruptLine;

/** A device's interrupt line. It holds its level; lines reach the harts once a PLIC is on the board (issue 5). */
public final class IrqLine implements InterruptLine {

    private final int number;
    private volatile boolean asserted;

    public IrqLine(int number) {
        this.number = number;
    }

    @Override
    public int number() {
        return number;
    }

    @Override
    public void setLevel(boolean level) {
        asserted = level;
    }

    public boolean asserted() {
        return asserted;
    }
}
