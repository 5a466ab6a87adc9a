/*
 * A guest hostile to the host's code cache: fills RAM with tiny functions and calls each one once, so the host
 * decodes a fresh block at every halfword of the area. The halfwords alternate `c.addi a0, 1` and `c.jr ra`: a call
 * at an even halfword counts one, a call at an odd one returns at once. The guest exits 0 when the count shows that
 * every function ran, 1 otherwise.
 */
#include "guest.h"

#ifndef FUNCTIONS
#define FUNCTIONS (10u << 20)
#endif
/* Above the image and its stack, below the device tree a monitor puts at the top of a 32 MiB RAM. */
#define CODE_BASE 0x80200000UL
#define C_ADDI_A0_1_THEN_C_JR_RA 0x80820505u

/* Calls every halfword address in [from, to) in turn; returns how many `c.addi a0, 1` ran. */
static uint64_t call_each(uint64_t from, uint64_t to) {
    uint64_t counted;
    __asm__ volatile(
        "li     a0, 0\n"
        "1:\n"
        "jalr   ra, 0(%[at])\n"
        "addi   %[at], %[at], 2\n"
        "bltu   %[at], %[to], 1b\n"
        "mv     %[counted], a0\n"
        : [counted] "=r"(counted), [at] "+r"(from)
        : [to] "r"(to)
        : "ra", "a0", "memory");
    return counted;
}

int main(void) {
    volatile uint32_t *code = (volatile uint32_t *)CODE_BASE;
    for (uint64_t i = 0; i < FUNCTIONS / 2; i++) {
        code[i] = C_ADDI_A0_1_THEN_C_JR_RA;
    }
    __asm__ volatile("fence.i" ::: "memory");
    uint64_t counted = call_each(CODE_BASE, CODE_BASE + 2 * (uint64_t)FUNCTIONS);
    uart_puts("sprawl: called ");
    uart_puthex(FUNCTIONS);
    uart_puts(" addresses, counted ");
    uart_puthex(counted);
    uart_puts("\n");
    return counted == FUNCTIONS / 2 ? 0 : 1;
}
