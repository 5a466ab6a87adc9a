/* A broken virtio driver: offers a looping chain, a buffer past the end of RAM and a length that overflows. Each
   must put the device into DEVICE_NEEDS_RESET with a configuration-change interrupt and complete nothing; after a
   reset the device must serve a good request again. */
#include "devices.h"
#include "virtio.h"

#define DEVICE_BLK 2
#define STATUS_NEEDS_RESET 0x40
#define INTERRUPT_STATUS 0x060
#define INTERRUPT_ACK 0x064

struct request {
    uint32_t type;
    uint32_t reserved;
    uint64_t sector;
};

static struct request header;
static uint8_t data[512];
static volatile uint8_t status;
static struct virtqueue queue;

static void start(uintptr_t base) {
    virtio_negotiate(base, 0);
    virtio_queue(base, 0, &queue, 0);
    virtio_driver_ok(base);
}

static void describe(int index, uint64_t addr, uint32_t len, uint16_t flags, uint16_t next) {
    queue.desc[index].addr = addr;
    queue.desc[index].len = len;
    queue.desc[index].flags = flags;
    queue.desc[index].next = next;
}

static void expect_reset(uintptr_t base, const char *what) {
    while (!(virtio_status(base) & STATUS_NEEDS_RESET)) {
    }
    struct vq_used_elem used;
    if (vq_take(&queue, &used)) {
        fail("a malformed chain was completed");
    }
    if (!(REG32(base + INTERRUPT_STATUS) & 2)) {
        fail("no configuration change interrupt");
    }
    REG32(base + INTERRUPT_ACK) = 3;
    uart_puts(what);
    uart_puts(": device needs reset\n");
    start(base);
}

int main(void) {
    uintptr_t base = virtio_find(DEVICE_BLK, 0);
    if (!base) {
        fail("no virtio-blk device");
    }
    start(base);

    describe(0, (uintptr_t)&header, sizeof(header), VQ_NEXT, 1);
    describe(1, (uintptr_t)data, sizeof(data), VQ_NEXT, 0);
    vq_offer(&queue, 0);
    expect_reset(base, "loop");

    describe(0, (uintptr_t)&header, sizeof(header), VQ_NEXT, 1);
    describe(1, 0x80000000UL + (512UL << 20), sizeof(data), VQ_NEXT | VQ_WRITE, 2);
    describe(2, (uintptr_t)&status, 1, VQ_WRITE, 0);
    vq_offer(&queue, 0);
    expect_reset(base, "past RAM");

    describe(0, (uintptr_t)&header, sizeof(header), VQ_NEXT, 1);
    describe(1, 0xffffffffffffff00UL, 0xffffffffu, VQ_NEXT | VQ_WRITE, 2);
    describe(2, (uintptr_t)&status, 1, VQ_WRITE, 0);
    vq_offer(&queue, 0);
    expect_reset(base, "overflow");

    header.type = 0;
    header.sector = 0;
    status = 0xff;
    describe(0, (uintptr_t)&header, sizeof(header), VQ_NEXT, 1);
    describe(1, (uintptr_t)data, sizeof(data), VQ_NEXT | VQ_WRITE, 2);
    describe(2, (uintptr_t)&status, 1, VQ_WRITE, 0);
    vq_offer(&queue, 0);
    struct vq_used_elem used;
    vq_wait(&queue, &used);
    if (status != 0) {
        fail("the reset device did not serve a good request");
    }
    uart_puts("after reset: ");
    print_bytes(data, 16);
    uart_puts("\n");
    return 0;
}
