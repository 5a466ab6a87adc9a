package io.pogo.interpreter.privileged;

import io.pogo.api.cpu.CsrAddress;
import io.pogo.api.cpu.Exit;
import io.pogo.api.cpu.ExitKind;

/** Encodes the exits the CPU would raise for privileged instructions. */
final class Instructions {
    static final int MRET = 0x3020_0073;
    static final int SRET = 0x1020_0073;
    static final int WFI = 0x1050_0073;

    private Instructions() {
    }

    /** CSRRW (funct3 1), CSRRS (2), CSRRC (3) and the immediate forms (5..7) on {@code csr}. */
    static Exit csr(int funct3, int csr, int rd, int rs1, long operand) {
        int bits = csr << 20 | rs1 << 15 | funct3 << 12 | rd << 7 | 0x73;
        ExitKind kind = csr == CsrAddress.SATP && ((funct3 & 3) == 1 || rs1 != 0) ? ExitKind.SATP_WRITE : ExitKind.CSR_ACCESS;
        return new Exit(kind, bits, 0x8000_0000L, csr, operand, 0);
    }

    static Exit csrWrite(int csr, long value) {
        return csr(1, csr, 0, 5, value);
    }

    static Exit csrRead(int csr) {
        return csr(2, csr, 10, 0, 0);
    }

    static Exit sfenceVma(int rs1, int rs2, long address, long asid) {
        int bits = 0b0001001 << 25 | rs2 << 20 | rs1 << 15 | 0x73;
        return new Exit(ExitKind.SFENCE_VMA, bits, 0x8000_0000L, address, asid, 0);
    }

    static Exit system(ExitKind kind, int bits) {
        return new Exit(kind, bits, 0x8000_0000L, 0, 0, 0);
    }
}
