/* Reads the first register of virtio-mmio slot 0 (0x10001000) and prints it: a guest that touches a device. */
#include "guest.h"

int main(void) {
    uint32_t magic = *(volatile uint32_t *)0x10001000UL;
    uart_puts("probe: slot 0 reads ");
    uart_puthex(magic);
    uart_puts("\n");
    guest_exit(0);
}
