/* Probes the virt board's eight virtio-mmio slots from the top (slot 7, 0x10008000) down, as drivers written against
   QEMU do, and prints what each presents; the output is the same on QEMU and on Pogo for the same devices. A slot
   without a device (device ID 0) also gets a write to its status register and has its other registers printed. */
#include "guest.h"

#define VIRTIO_BASE 0x10001000UL
#define VIRTIO_SLOTS 8
#define MAGIC 0x000
#define VERSION 0x004
#define DEVICE_ID 0x008
#define VENDOR_ID 0x00c
#define DEVICE_FEATURES 0x010
#define QUEUE_NUM_MAX 0x034
#define INTERRUPT_STATUS 0x060
#define STATUS 0x070
#define CONFIG 0x100
#define STATUS_ACKNOWLEDGE_DRIVER 3

static uint32_t reg(uintptr_t base, unsigned offset) {
    return *(volatile uint32_t *)(base + offset);
}

static void put_hex32(uint32_t value) {
    uart_puts("0x");
    for (int shift = 28; shift >= 0; shift -= 4) {
        uart_putc("0123456789abcdef"[(value >> shift) & 0xf]);
    }
}

static void field(const char *name, uint32_t value) {
    uart_puts(" ");
    uart_puts(name);
    uart_puts("=");
    put_hex32(value);
}

static void probe_empty(uintptr_t base) {
    *(volatile uint32_t *)(base + STATUS) = STATUS_ACKNOWLEDGE_DRIVER;
    field("status", reg(base, STATUS));
    field("features", reg(base, DEVICE_FEATURES));
    field("queue-max", reg(base, QUEUE_NUM_MAX));
    field("isr", reg(base, INTERRUPT_STATUS));
    field("config", reg(base, CONFIG));
    field("magic-byte", *(volatile uint8_t *)(base + MAGIC));
}

int main(void) {
    for (int slot = VIRTIO_SLOTS - 1; slot >= 0; slot--) {
        uintptr_t base = VIRTIO_BASE + 0x1000UL * slot;
        uart_puts("slot ");
        uart_putc((char)('0' + slot));
        field("magic", reg(base, MAGIC));
        field("version", reg(base, VERSION));
        field("device", reg(base, DEVICE_ID));
        field("vendor", reg(base, VENDOR_ID));
        if (reg(base, DEVICE_ID) == 0) {
            probe_empty(base);
        }
        uart_puts("\n");
    }
    guest_exit(0);
}
