/*
 * Touches MIB mebibytes of RAM from 4 MiB into RAM, one word per 4 KiB page, and says after each mebibyte how far
 * it got; then reads every word back and exits 0 when each holds what was written. A VM with a memory cap below
 * what this touches pauses part way, and finishes once the cap is raised.
 */
#include "guest.h"

#ifndef MIB
#define MIB 32
#endif

#define FIRST ((volatile uint64_t *)0x80400000UL)
#define WORDS_PER_PAGE (4096 / sizeof(uint64_t))
#define PAGES_PER_MIB 256

static void put_decimal(unsigned value) {
    char digits[10];
    int count = 0;
    do {
        digits[count++] = (char)('0' + value % 10);
        value /= 10;
    } while (value != 0);
    while (count > 0) {
        uart_putc(digits[--count]);
    }
}

int main(void) {
    for (unsigned mib = 0; mib < MIB; mib++) {
        for (unsigned page = 0; page < PAGES_PER_MIB; page++) {
            unsigned index = mib * PAGES_PER_MIB + page;
            FIRST[index * WORDS_PER_PAGE] = 0x5a5a000000000000UL | index;
        }
        uart_puts("memtouch: touched ");
        put_decimal(mib + 1);
        uart_puts(" MiB\n");
    }
    for (unsigned index = 0; index < MIB * PAGES_PER_MIB; index++) {
        if (FIRST[index * WORDS_PER_PAGE] != (0x5a5a000000000000UL | index)) {
            uart_puts("memtouch: page ");
            put_decimal(index);
            uart_puts(" lost what was written\n");
            guest_exit(1);
        }
    }
    uart_puts("memtouch: all pages read back\n");
    guest_exit(0);
}
