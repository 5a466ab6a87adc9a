package io.pogo.api.cpu;

/**
 * One trip from the CPU to the monitor.
 *
 * @param kind        what happened
 * @param instruction the raw bits of the instruction that exited (16 or 32 bits)
 * @param pc          the address of that instruction
 * @param address     the guest-physical address of an MMIO access, or the CSR number of a CSR access
 * @param value       the value to store (MMIO store) or the source operand (CSR access: rs1 or the immediate)
 * @param size        access size in bytes for MMIO, otherwise 0
 */
public record Exit(ExitKind kind, int instruction, long pc, long address, long value, int size) {
}
