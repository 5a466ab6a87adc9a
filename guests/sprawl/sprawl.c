/*
 * A guest hostile to the host's code cache: fills RAM with tiny functions and calls each one once, so the host
 * decodes a fresh block at every halfword of the area. The halfwords alternate `c.addi a0, 1` and `c.jr ra`: a call
 * at an even halfword counts one, a call at an odd one returns at once. The guest exits 0 when the count shows that
 * every function ran, 1 otherwise. Built with IDLE_WAKES, it then idles like a booted kernel before it exits:
 * it sleeps in WFI until its machine timer fires, that many times, never calling the functions again.
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

#ifdef IDLE_WAKES
#define CLINT_MTIMECMP ((volatile uint64_t *)0x2004000UL)
#define CLINT_MTIME ((volatile uint64_t *)0x200BFF8UL)
#define MIE_MTIE (1u << 7)

static uint64_t read_mip(void) {
    uint64_t mip;
    __asm__ volatile("csrr %0, mip" : "=r"(mip));
    return mip;
}

/* Sleeps until the timer fires a thousand ticks from now; mstatus.MIE stays clear, so no trap is taken. */
static void sleep_once(void) {
    *CLINT_MTIMECMP = *CLINT_MTIME + 1000;
    while (!(read_mip() & MIE_MTIE)) {
        __asm__ volatile("wfi");
    }
    *CLINT_MTIMECMP = -1UL;
}
#endif

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
#ifdef IDLE_WAKES
    __asm__ volatile("csrs mie, %0" ::"r"(MIE_MTIE));
    for (int wake = 0; wake < IDLE_WAKES; wake++) {
        sleep_once();
    }
#endif
    return counted == FUNCTIONS / 2 ? 0 : 1;
}
