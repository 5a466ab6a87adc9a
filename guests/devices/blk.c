/* A virtio-blk driver: reads sector 0, writes sector 1, flushes, reads sector 1 back, asks for the device ID.
   On a read-only drive the write must fail with IOERR. Built with -DHOLD it stays alive after the flush so a test
   can kill the hypervisor and look at the image; built with -DWORD0 it negotiates as xv6-riscv does, feature
   word 0 only, so the device runs without VERSION_1. */
#include "devices.h"
#include "virtio.h"

#define DEVICE_BLK 2
#define F_RO (1u << 5)
#define F_FLUSH (1u << 9)
#define T_IN 0
#define T_OUT 1
#define T_FLUSH 4
#define T_GET_ID 8
#define S_OK 0
#define S_IOERR 1
#define SECTOR 512

struct request {
    uint32_t type;
    uint32_t reserved;
    uint64_t sector;
};

static struct request header;
static uint8_t data[SECTOR];
static volatile uint8_t status;
static struct virtqueue queue;

static const char pattern[] = "written by the guest; ";

static int request(uint32_t type, uint64_t sector, uint32_t length, int device_writes) {
    header.type = type;
    header.reserved = 0;
    header.sector = sector;
    status = 0xff;
    queue.desc[0].addr = (uintptr_t)&header;
    queue.desc[0].len = sizeof(header);
    queue.desc[0].flags = VQ_NEXT;
    queue.desc[0].next = length ? 1 : 2;
    queue.desc[1].addr = (uintptr_t)data;
    queue.desc[1].len = length;
    queue.desc[1].flags = VQ_NEXT | (device_writes ? VQ_WRITE : 0);
    queue.desc[1].next = 2;
    queue.desc[2].addr = (uintptr_t)&status;
    queue.desc[2].len = 1;
    queue.desc[2].flags = VQ_WRITE;
    queue.desc[2].next = 0;
    vq_offer(&queue, 0);
    struct vq_used_elem used;
    vq_wait(&queue, &used);
    if (used.id != 0) {
        fail("blk: completed an unknown chain");
    }
    return status;
}

static void fill_pattern(void) {
    for (int i = 0; i < SECTOR; i++) {
        data[i] = (uint8_t)pattern[i % (sizeof(pattern) - 1)];
    }
}

int main(void) {
    uintptr_t base = virtio_find(DEVICE_BLK, 0);
    if (!base) {
        fail("no virtio-blk device");
    }
    REG32(base + 0x14) = 0;
    int read_only = (REG32(base + 0x10) & F_RO) != 0;
#ifdef WORD0
    virtio_negotiate_word0(base, F_FLUSH | (read_only ? F_RO : 0));
    uart_puts("features: word 0 only\n");
#else
    virtio_negotiate(base, F_FLUSH | (read_only ? F_RO : 0));
#endif
    virtio_queue(base, 0, &queue, 0);
    virtio_driver_ok(base);
    uart_puts("capacity: ");
    print_dec(REG32(base + 0x100) | (uint64_t)REG32(base + 0x104) << 32);
    uart_puts(" sectors\n");

    if (request(T_IN, 0, SECTOR, 1) != S_OK) {
        fail("blk: reading sector 0");
    }
    uart_puts("sector 0: ");
    print_bytes(data, 32);
    uart_puts("\n");

    fill_pattern();
    int written = request(T_OUT, 1, SECTOR, 0);
    if (read_only) {
        if (written != S_IOERR) {
            fail("blk: a write to a read-only drive did not fail");
        }
        uart_puts("write refused: read-only\n");
        return 0;
    }
    if (written != S_OK) {
        fail("blk: writing sector 1");
    }
    if (request(T_FLUSH, 0, 0, 0) != S_OK) {
        fail("blk: flush");
    }
    uart_puts("flushed\n");
#ifdef HOLD
    uart_puts("holding\n");
    for (;;) {
        wfi();
    }
#endif
    bytes_fill(data, 0, SECTOR);
    if (request(T_IN, 1, SECTOR, 1) != S_OK) {
        fail("blk: reading sector 1 back");
    }
    fill_pattern();
    static uint8_t expected[SECTOR];
    bytes_copy(expected, data, SECTOR);
    bytes_fill(data, 0, SECTOR);
    request(T_IN, 1, SECTOR, 1);
    if (!bytes_equal(data, expected, SECTOR)) {
        fail("blk: sector 1 reads back different");
    }
    uart_puts("read back ok\n");
    bytes_fill(data, 0, SECTOR);
    if (request(T_GET_ID, 0, 20, 1) != S_OK) {
        fail("blk: GET_ID");
    }
    uart_puts("id: ");
    print_bytes(data, 20);
    uart_puts("\n");
    return 0;
}
