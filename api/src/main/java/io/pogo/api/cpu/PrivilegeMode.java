package io.pogo.api.cpu;

/** RISC-V privilege levels with their architectural encoding. */
public enum PrivilegeMode {
    USER(0),
    SUPERVISOR(1),
    MACHINE(3);

    private final int level;

    PrivilegeMode(int level) {
        this.level = level;
    }

    /** The two-bit encoding used in mstatus.MPP, sstatus.SPP and CSR numbers. */
    public int level() {
        return level;
    }
}
