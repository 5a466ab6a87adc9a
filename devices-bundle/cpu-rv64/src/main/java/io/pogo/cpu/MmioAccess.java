package io.pogo.cpu;

/**
 * Unwinds from the MMU to the executor when a load or store falls outside guest RAM, so the executor can turn the
 * current instruction into an MMIO exit. One instance per hart is reused.
 */
final class MmioAccess extends RuntimeException {
    private long address;
    private long virtualAddress;
    private int size;
    private long value;
    private boolean store;

    MmioAccess() {
        super(null, null, false, false);
    }

    MmioAccess load(long virtualAddress, long physicalAddress, int size) {
        this.virtualAddress = virtualAddress;
        this.address = physicalAddress;
        this.size = size;
        this.value = 0;
        this.store = false;
        return this;
    }

    MmioAccess store(long virtualAddress, long physicalAddress, int size, long value) {
        this.virtualAddress = virtualAddress;
        this.address = physicalAddress;
        this.size = size;
        this.value = value;
        this.store = true;
        return this;
    }

    long address() {
        return address;
    }

    /** The address the instruction used: the trap value of an access fault on it. */
    long virtualAddress() {
        return virtualAddress;
    }

    int size() {
        return size;
    }

    long value() {
        return value;
    }

    boolean isStore() {
        return store;
    }
}
