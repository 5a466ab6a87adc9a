/* A legacy virtio-mmio (version 1) block driver written the way teaching kernels wrote theirs before virtio 1.0
   (xv6-riscv's virtio_disk.c of that era): GuestPageSize 4096, one queue of 8 descriptors in two pages found
   through QueuePFN, one three-descriptor request at a time, completions polled from the used ring and the
   interrupt acknowledged. It reads sector 0 and checks its first bytes, writes sector 1, reads it back.
   QEMU and Pogo plug virtio devices from the last slot (0x10008000) down and fill the other slots with transports
   of device ID 0, so it probes the slots from the top for the disk. */
#include "devices.h"

#define VIRTIO_MMIO_BASE 0x10001000UL
#define VIRTIO_MMIO_SLOTS 8
#define VIRTIO_MMIO_MAGIC_VALUE 0x000
#define VIRTIO_MMIO_VERSION 0x004
#define VIRTIO_MMIO_DEVICE_ID 0x008
#define VIRTIO_MMIO_DEVICE_FEATURES 0x010
#define VIRTIO_MMIO_DRIVER_FEATURES 0x020
#define VIRTIO_MMIO_GUEST_PAGE_SIZE 0x028
#define VIRTIO_MMIO_QUEUE_SEL 0x030
#define VIRTIO_MMIO_QUEUE_NUM_MAX 0x034
#define VIRTIO_MMIO_QUEUE_NUM 0x038
#define VIRTIO_MMIO_QUEUE_PFN 0x040
#define VIRTIO_MMIO_QUEUE_NOTIFY 0x050
#define VIRTIO_MMIO_INTERRUPT_STATUS 0x060
#define VIRTIO_MMIO_INTERRUPT_ACK 0x064
#define VIRTIO_MMIO_STATUS 0x070
#define VIRTIO_MMIO_CONFIG 0x100

#define VIRTIO_CONFIG_S_ACKNOWLEDGE 1
#define VIRTIO_CONFIG_S_DRIVER 2
#define VIRTIO_CONFIG_S_DRIVER_OK 4
#define VIRTIO_CONFIG_S_FEATURES_OK 8

#define VIRTIO_BLK_F_RO 5
#define VIRTIO_BLK_F_SCSI 7
#define VIRTIO_BLK_F_CONFIG_WCE 11
#define VIRTIO_BLK_F_MQ 12
#define VIRTIO_F_ANY_LAYOUT 27
#define VIRTIO_RING_F_INDIRECT_DESC 28
#define VIRTIO_RING_F_EVENT_IDX 29

#define VIRTIO_BLK_T_IN 0
#define VIRTIO_BLK_T_OUT 1
#define VRING_DESC_F_NEXT 1
#define VRING_DESC_F_WRITE 2

#define PGSIZE 4096
#define NUM 8
#define BSIZE 512

struct virtq_desc {
    uint64_t addr;
    uint32_t len;
    uint16_t flags;
    uint16_t next;
};

struct virtq_avail {
    uint16_t flags;
    uint16_t idx;
    uint16_t ring[NUM];
    uint16_t unused;
};

struct virtq_used_elem {
    uint32_t id;
    uint32_t len;
};

struct virtq_used {
    uint16_t flags;
    uint16_t idx;
    struct virtq_used_elem ring[NUM];
};

struct virtio_blk_req {
    uint32_t type;
    uint32_t reserved;
    uint64_t sector;
};

static struct disk {
    /* The descriptor table and the available ring in the first page, the used ring in the second. */
    char pages[2 * PGSIZE];
    struct virtq_desc *desc;
    struct virtq_avail *avail;
    struct virtq_used *used;
    uint16_t used_idx;
    struct virtio_blk_req req;
    volatile uint8_t status;
} __attribute__((aligned(PGSIZE))) disk;

static uintptr_t virtio0;
static uint8_t buf[BSIZE];

#define R(r) ((volatile uint32_t *)(virtio0 + (r)))

static const char sector_zero[] = "POGO sector zero: hello, disk!!!";
static const char pattern[] = "written by the legacy guest; ";

static int find_disk(void) {
    for (int slot = VIRTIO_MMIO_SLOTS - 1; slot >= 0; slot--) {
        virtio0 = VIRTIO_MMIO_BASE + 0x1000UL * slot;
        if (*R(VIRTIO_MMIO_MAGIC_VALUE) == 0x74726976 && *R(VIRTIO_MMIO_VERSION) == 1
                && *R(VIRTIO_MMIO_DEVICE_ID) == 2) {
            return 1;
        }
    }
    return 0;
}

static void virtio_disk_init(void) {
    uint32_t status = 0;
    status |= VIRTIO_CONFIG_S_ACKNOWLEDGE;
    *R(VIRTIO_MMIO_STATUS) = status;
    status |= VIRTIO_CONFIG_S_DRIVER;
    *R(VIRTIO_MMIO_STATUS) = status;

    uint32_t features = *R(VIRTIO_MMIO_DEVICE_FEATURES);
    features &= ~(1u << VIRTIO_BLK_F_RO);
    features &= ~(1u << VIRTIO_BLK_F_SCSI);
    features &= ~(1u << VIRTIO_BLK_F_CONFIG_WCE);
    features &= ~(1u << VIRTIO_BLK_F_MQ);
    features &= ~(1u << VIRTIO_F_ANY_LAYOUT);
    features &= ~(1u << VIRTIO_RING_F_EVENT_IDX);
    features &= ~(1u << VIRTIO_RING_F_INDIRECT_DESC);
    *R(VIRTIO_MMIO_DRIVER_FEATURES) = features;

    status |= VIRTIO_CONFIG_S_FEATURES_OK;
    *R(VIRTIO_MMIO_STATUS) = status;
    status |= VIRTIO_CONFIG_S_DRIVER_OK;
    *R(VIRTIO_MMIO_STATUS) = status;

    *R(VIRTIO_MMIO_GUEST_PAGE_SIZE) = PGSIZE;
    *R(VIRTIO_MMIO_QUEUE_SEL) = 0;
    uint32_t max = *R(VIRTIO_MMIO_QUEUE_NUM_MAX);
    if (max == 0) {
        fail("virtio disk has no queue 0");
    }
    if (max < NUM) {
        fail("virtio disk max queue too short");
    }
    *R(VIRTIO_MMIO_QUEUE_NUM) = NUM;
    bytes_fill(disk.pages, 0, sizeof(disk.pages));
    *R(VIRTIO_MMIO_QUEUE_PFN) = ((uintptr_t)disk.pages) >> 12;

    disk.desc = (struct virtq_desc *)disk.pages;
    disk.avail = (struct virtq_avail *)(disk.pages + NUM * sizeof(struct virtq_desc));
    disk.used = (struct virtq_used *)(disk.pages + PGSIZE);
    disk.used_idx = 0;
}

/* One request: header, data, status; waits for the device to return it. */
static int virtio_disk_rw(uint64_t sector, int write) {
    disk.req.type = write ? VIRTIO_BLK_T_OUT : VIRTIO_BLK_T_IN;
    disk.req.reserved = 0;
    disk.req.sector = sector;

    disk.desc[0].addr = (uintptr_t)&disk.req;
    disk.desc[0].len = sizeof(disk.req);
    disk.desc[0].flags = VRING_DESC_F_NEXT;
    disk.desc[0].next = 1;

    disk.desc[1].addr = (uintptr_t)buf;
    disk.desc[1].len = BSIZE;
    disk.desc[1].flags = (write ? 0 : VRING_DESC_F_WRITE) | VRING_DESC_F_NEXT;
    disk.desc[1].next = 2;

    disk.status = 0xff;
    disk.desc[2].addr = (uintptr_t)&disk.status;
    disk.desc[2].len = 1;
    disk.desc[2].flags = VRING_DESC_F_WRITE;
    disk.desc[2].next = 0;

    volatile struct virtq_avail *avail = disk.avail;
    avail->ring[avail->idx % NUM] = 0;
    __sync_synchronize();
    avail->idx += 1;
    __sync_synchronize();
    *R(VIRTIO_MMIO_QUEUE_NOTIFY) = 0;

    volatile struct virtq_used *used = disk.used;
    while (used->idx == disk.used_idx) {
    }
    __sync_synchronize();
    if (used->ring[disk.used_idx % NUM].id != 0) {
        fail("virtio disk completed an unknown chain");
    }
    disk.used_idx += 1;

    if (!(*R(VIRTIO_MMIO_INTERRUPT_STATUS) & 1)) {
        fail("virtio disk raised no used-buffer interrupt");
    }
    *R(VIRTIO_MMIO_INTERRUPT_ACK) = *R(VIRTIO_MMIO_INTERRUPT_STATUS) & 0x3;
    if (*R(VIRTIO_MMIO_INTERRUPT_STATUS) != 0) {
        fail("virtio disk interrupt not acknowledged");
    }
    return disk.status;
}

int main(void) {
    if (!find_disk()) {
        fail("no legacy virtio-mmio disk");
    }
    virtio_disk_init();
    uart_puts("legacy virtio-blk: capacity ");
    print_dec(*R(VIRTIO_MMIO_CONFIG) | (uint64_t)*R(VIRTIO_MMIO_CONFIG + 4) << 32);
    uart_puts(" sectors\n");

    if (virtio_disk_rw(0, 0) != 0) {
        fail("reading sector 0");
    }
    if (!bytes_equal(buf, sector_zero, sizeof(sector_zero) - 1)) {
        fail("sector 0 holds other bytes");
    }
    uart_puts("sector 0: ");
    print_bytes(buf, sizeof(sector_zero) - 1);
    uart_puts("\n");

    for (int i = 0; i < BSIZE; i++) {
        buf[i] = (uint8_t)pattern[i % (sizeof(pattern) - 1)];
    }
    if (virtio_disk_rw(1, 1) != 0) {
        fail("writing sector 1");
    }
    bytes_fill(buf, 0, BSIZE);
    if (virtio_disk_rw(1, 0) != 0) {
        fail("reading sector 1 back");
    }
    for (int i = 0; i < BSIZE; i++) {
        if (buf[i] != (uint8_t)pattern[i % (sizeof(pattern) - 1)]) {
            fail("sector 1 reads back different");
        }
    }
    uart_puts("sector 1 written and read back\n");
    return 0;
}
