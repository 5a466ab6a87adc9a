/* The first guest: greets over the UART and leaves through the test finisher with EXIT_CODE. */
#include "guest.h"

#ifndef EXIT_CODE
#define EXIT_CODE 0
#endif

int main(void) {
    uint64_t hart;
    __asm__ volatile("csrr %0, mhartid" : "=r"(hart));
    uart_puts("hello from guest\n");
    uart_puts("hart ");
    uart_putc((char)('0' + hart));
    uart_puts(", exit code ");
    uart_putc((char)('0' + EXIT_CODE));
    uart_puts("\n");
    guest_exit(EXIT_CODE);
}
