/*
 * Writes known pages in two rounds, for dirty-page tracking tests. It prints the buffer's and the flag's addresses
 * and spins until the host sets the flag to 1 (the host starts tracking meanwhile). Round 1 reads every page of the
 * buffer (so their translations are cached before any store), then stores to pages 3, 5 and 6 (many times, so the
 * loop runs hot), and waits for flag value 2. Round 2 stores to page 9 and performs an AMO on page 12.
 */
#include "guest.h"

#define PAGES 16

static volatile uint8_t pages[PAGES][4096] __attribute__((aligned(4096)));
static volatile uint64_t go __attribute__((aligned(4096)));

static void await(uint64_t value) {
    while (go != value) {
    }
}

int main(void) {
    uart_puts("pages ");
    uart_puthex((uint64_t)(uintptr_t)pages);
    uart_puts(" go ");
    uart_puthex((uint64_t)(uintptr_t)&go);
    uart_puts("\n");
    await(1);
    uint64_t sum = 0;
    for (int p = 0; p < PAGES; p++) {
        sum += pages[p][0] + go;
    }
    for (int i = 0; i < 1000; i++) {
        pages[3][i] = (uint8_t)i;
        pages[5][4095 - i] = (uint8_t)i;
    }
    pages[6][100] = (uint8_t)(sum + 1);
    uart_puts("round 1\n");
    await(2);
    pages[9][0] = 7;
    __atomic_fetch_add((volatile uint64_t *)&pages[12][8], 1, __ATOMIC_SEQ_CST);
    uart_puts("round 2\n");
    guest_exit(0);
}
