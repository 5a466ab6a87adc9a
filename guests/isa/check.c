#include "check.h"

volatile struct trap_record m_traps, s_traps;
volatile uint64_t mode_return_sp;
static int failures;
extern char run_in_mode_return[];

void check(int ok, int line, const char *what) {
    if (!ok) {
        failures++;
        uart_puts("FAIL line ");
        uart_puthex((uint64_t)line);
        uart_puts(": ");
        uart_puts(what);
        uart_puts("\n");
    }
}

void check_eq(uint64_t actual, uint64_t expected, int line, const char *what) {
    if (actual != expected) {
        check(0, line, what);
        uart_puts("  actual ");
        uart_puthex(actual);
        uart_puts(" expected ");
        uart_puthex(expected);
        uart_puts("\n");
    }
}

void finish(void) {
    uart_puts(failures == 0 ? "PASS\n" : "FAILED\n");
    guest_exit(failures == 0 ? 0 : 1);
}

static uint64_t instruction_length(uint64_t epc) {
    return (*(volatile uint16_t *)epc & 3) == 3 ? 4 : 2;
}

/* ECALL from U or S ends run_in_mode; anything else is recorded and skipped. */
void m_trap(uint64_t *regs) {
    uint64_t cause = CSR_READ(mcause);
    uint64_t epc = CSR_READ(mepc);
    if (cause == 8 || cause == 9) {
        CSR_WRITE(mepc, (uint64_t)run_in_mode_return);
        CSR_SET(mstatus, 3 << 11);
        regs[2] = mode_return_sp;
        return;
    }
    m_traps.cause = cause;
    m_traps.tval = CSR_READ(mtval);
    m_traps.epc = epc;
    m_traps.count++;
    CSR_WRITE(mepc, epc + instruction_length(epc));
}

void s_trap(uint64_t *regs) {
    (void)regs;
    uint64_t epc = CSR_READ(sepc);
    s_traps.cause = CSR_READ(scause);
    s_traps.tval = CSR_READ(stval);
    s_traps.epc = epc;
    s_traps.count++;
    CSR_WRITE(sepc, epc + instruction_length(epc));
}
