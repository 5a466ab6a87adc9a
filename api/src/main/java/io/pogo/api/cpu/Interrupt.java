package io.pogo.api.cpu;

/** Interrupt sources of the privileged architecture; {@link #bit()} is the position in mip/mie. */
public enum Interrupt {
    SUPERVISOR_SOFTWARE(1),
    MACHINE_SOFTWARE(3),
    SUPERVISOR_TIMER(5),
    MACHINE_TIMER(7),
    SUPERVISOR_EXTERNAL(9),
    MACHINE_EXTERNAL(11);

    private final int bit;

    Interrupt(int bit) {
        this.bit = bit;
    }

    public int bit() {
        return bit;
    }
}
