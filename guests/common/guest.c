#include "guest.h"

#define UART0 ((volatile uint8_t *)0x10000000UL)
#define UART_THR 0
#define UART_LSR 5
#define LSR_THRE 0x20
#define FINISHER ((volatile uint32_t *)0x100000UL)
#define FINISHER_PASS 0x5555
#define FINISHER_FAIL 0x3333

void uart_putc(char c) {
    while (!(UART0[UART_LSR] & LSR_THRE)) {
    }
    UART0[UART_THR] = (uint8_t)c;
}

void uart_puts(const char *s) {
    while (*s) {
        if (*s == '\n') {
            uart_putc('\r');
        }
        uart_putc(*s++);
    }
}

void uart_puthex(uint64_t v) {
    uart_puts("0x");
    for (int shift = 60; shift >= 0; shift -= 4) {
        uart_putc("0123456789abcdef"[(v >> shift) & 0xf]);
    }
}

void guest_exit(int code) {
    *FINISHER = code == 0 ? FINISHER_PASS : ((uint32_t)code << 16) | FINISHER_FAIL;
    for (;;) {
    }
}

void guest_trap(uint64_t mcause, uint64_t mepc, uint64_t mtval) {
    uart_puts("trap: mcause=");
    uart_puthex(mcause);
    uart_puts(" mepc=");
    uart_puthex(mepc);
    uart_puts(" mtval=");
    uart_puthex(mtval);
    uart_puts("\n");
    guest_exit(1);
}
