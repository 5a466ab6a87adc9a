/* Interrupt-driven echo: the UART's received-data interrupt reaches hart 0's machine mode through the PLIC
   (source 10, context 0); the handler claims it, echoes each byte upper-cased, completes it. 'q' ends the run. */
#include "devices.h"

#define RBR 0
#define IER 1
#define FCR 2
#define LSR 5
#define IER_RDA 1
#define LSR_DR 1

static volatile int done;
static volatile uint64_t interrupts;

void handle_interrupt(uint64_t cause) {
    if (cause != (MCAUSE_INTERRUPT | 11)) {
        fail("unexpected interrupt");
    }
    uint32_t source = REG32(PLIC_CLAIM(0));
    if (source != UART_IRQ) {
        fail("claimed a source other than the UART");
    }
    interrupts++;
    while (REG8(UART0 + LSR) & LSR_DR) {
        char c = (char)REG8(UART0 + RBR);
        if (c == 'q') {
            done = 1;
        } else {
            uart_putc(c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c);
        }
    }
    REG32(PLIC_CLAIM(0)) = source;
}

int main(void) {
    interrupts_init();
    REG32(PLIC_PRIORITY(UART_IRQ)) = 1;
    REG32(PLIC_ENABLE(0, UART_IRQ)) = 1u << UART_IRQ;
    REG32(PLIC_THRESHOLD(0)) = 0;
    REG8(UART0 + FCR) = 0x07;
    REG8(UART0 + IER) = IER_RDA;
    csr_set_mie(MIE_MEIE);
    uart_puts("uart-irq ready\n");
    while (!done) {
        interrupts_off();
        if (!done) {
            wfi();
        }
        interrupts_on();
    }
    interrupts_off();
    uart_puts("\ninterrupts: ");
    print_dec(interrupts);
    uart_puts("\n");
    return 0;
}
