package io.pogo.cpu.mmu;

/**
 * Where the MMU sends loads and stores that fall outside guest RAM: the executor turns each into an exit of the
 * instruction being executed, and the instruction carries on with the device's answer.
 */
public interface MmioPort {
    /** Returns the {@code size} bytes the device answered, zero-extended. */
    long load(long virtualAddress, long physicalAddress, int size);

    void store(long virtualAddress, long physicalAddress, int size, long value);
}
