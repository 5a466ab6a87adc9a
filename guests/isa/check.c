#include "check.h"

volatile struct trap_record m_traps, s_traps, m_interrupts, s_interrupts;
volatile uint64_t vector_taken;
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

static void record(volatile struct trap_record *record, uint64_t cause, uint64_t tval, uint64_t epc) {
    record->cause = cause;
    record->tval = tval;
    record->epc = epc;
    record->count++;
}

/* Where execution resumes after an exception: past the instruction, or at the caller for a fetch fault
   (tests reach unfetchable code only through a call). */
static uint64_t resume_after(uint64_t cause, uint64_t epc, uint64_t *regs) {
    return cause == 1 || cause == 12 ? regs[1] : epc + instruction_length(epc);
}

/* ECALL from U or S ends run_in_mode; interrupts are recorded and disabled; other exceptions recorded and
   skipped. */
void m_trap(uint64_t *regs) {
    uint64_t cause = CSR_READ(mcause);
    uint64_t epc = CSR_READ(mepc);
    if (cause & INTERRUPT) {
        record(&m_interrupts, cause, CSR_READ(mtval), epc);
        CSR_CLEAR(mie, 1UL << (cause & 63));
        return;
    }
    if (cause == 8 || cause == 9) {
        CSR_WRITE(mepc, (uint64_t)run_in_mode_return);
        CSR_SET(mstatus, 3 << 11);
        regs[2] = mode_return_sp;
        return;
    }
    record(&m_traps, cause, CSR_READ(mtval), epc);
    CSR_WRITE(mepc, resume_after(cause, epc, regs));
}

void s_trap(uint64_t *regs) {
    uint64_t cause = CSR_READ(scause);
    uint64_t epc = CSR_READ(sepc);
    if (cause & INTERRUPT) {
        record(&s_interrupts, cause, CSR_READ(stval), epc);
        CSR_CLEAR(sie, 1UL << (cause & 63));
        return;
    }
    record(&s_traps, cause, CSR_READ(stval), epc);
    CSR_WRITE(sepc, resume_after(cause, epc, regs));
}
