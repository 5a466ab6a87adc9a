/* A guest that runs until it is stopped: announces itself, then echoes console input back, upper-cased. */
#include "guest.h"

#define UART0 ((volatile uint8_t *)0x10000000UL)
#define UART_RBR 0
#define UART_LSR 5
#define LSR_DATA_READY 0x01

int main(void) {
    uart_puts("echo ready\n");
    for (;;) {
        if (UART0[UART_LSR] & LSR_DATA_READY) {
            char c = (char)UART0[UART_RBR];
            uart_putc(c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c);
        }
    }
}
