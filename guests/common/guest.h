/* The board services bare-metal test guests use: UART output and the SiFive test finisher. */
#ifndef GUEST_H
#define GUEST_H
#include <stdint.h>

void uart_putc(char c);
void uart_puts(const char *s);
void uart_puthex(uint64_t v);
void guest_exit(int code) __attribute__((noreturn));
void guest_trap(uint64_t mcause, uint64_t mepc, uint64_t mtval) __attribute__((noreturn));

#endif
