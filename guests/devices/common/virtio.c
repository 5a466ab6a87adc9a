#include "virtio.h"
#include "devices.h"

#define MAGIC 0x000
#define VERSION 0x004
#define DEVICE_ID 0x008
#define DEVICE_FEATURES 0x010
#define DEVICE_FEATURES_SEL 0x014
#define DRIVER_FEATURES 0x020
#define DRIVER_FEATURES_SEL 0x024
#define QUEUE_SEL 0x030
#define QUEUE_NUM_MAX 0x034
#define QUEUE_NUM 0x038
#define QUEUE_READY 0x044
#define QUEUE_NOTIFY 0x050
#define STATUS 0x070
#define QUEUE_DESC 0x080
#define QUEUE_DRIVER 0x090
#define QUEUE_DEVICE 0x0a0

#define S_ACKNOWLEDGE 1
#define S_DRIVER 2
#define S_DRIVER_OK 4
#define S_FEATURES_OK 8

static uint8_t rings[4][3][4096] __attribute__((aligned(4096)));

uintptr_t virtio_find(uint32_t device_id, int skip) {
    for (int slot = VIRTIO_SLOTS - 1; slot >= 0; slot--) {
        uintptr_t base = VIRTIO_MMIO_BASE + 0x1000UL * slot;
        if (REG32(base + MAGIC) == 0x74726976 && REG32(base + VERSION) == 2 && REG32(base + DEVICE_ID) == device_id
                && skip-- == 0) {
            return base;
        }
    }
    return 0;
}

void virtio_negotiate(uintptr_t base, uint32_t wanted) {
    REG32(base + STATUS) = 0;
    REG32(base + STATUS) = S_ACKNOWLEDGE;
    REG32(base + STATUS) = S_ACKNOWLEDGE | S_DRIVER;
    REG32(base + DEVICE_FEATURES_SEL) = 0;
    uint32_t low = REG32(base + DEVICE_FEATURES);
    REG32(base + DEVICE_FEATURES_SEL) = 1;
    uint32_t high = REG32(base + DEVICE_FEATURES);
    if (!(high & 1) || (low & wanted) != wanted) {
        fail("virtio: features not offered");
    }
    REG32(base + DRIVER_FEATURES_SEL) = 0;
    REG32(base + DRIVER_FEATURES) = wanted;
    REG32(base + DRIVER_FEATURES_SEL) = 1;
    REG32(base + DRIVER_FEATURES) = 1;
    REG32(base + STATUS) = S_ACKNOWLEDGE | S_DRIVER | S_FEATURES_OK;
    if (!(REG32(base + STATUS) & S_FEATURES_OK)) {
        fail("virtio: FEATURES_OK refused");
    }
}

void virtio_negotiate_word0(uintptr_t base, uint32_t wanted) {
    REG32(base + STATUS) = 0;
    REG32(base + STATUS) = S_ACKNOWLEDGE;
    REG32(base + STATUS) = S_ACKNOWLEDGE | S_DRIVER;
    if ((REG32(base + DEVICE_FEATURES) & wanted) != wanted) {
        fail("virtio: features not offered");
    }
    REG32(base + DRIVER_FEATURES) = wanted;
    REG32(base + STATUS) = S_ACKNOWLEDGE | S_DRIVER | S_FEATURES_OK;
    if (!(REG32(base + STATUS) & S_FEATURES_OK)) {
        fail("virtio: FEATURES_OK refused");
    }
}

void virtio_queue(uintptr_t base, int index, struct virtqueue *vq, int slot) {
    bytes_fill(rings[slot], 0, sizeof(rings[slot]));
    vq->base = base;
    vq->index = index;
    vq->desc = (struct vq_desc *)rings[slot][0];
    vq->avail = (struct vq_avail *)rings[slot][1];
    vq->used = (struct vq_used *)rings[slot][2];
    vq->last_used = 0;
    REG32(base + QUEUE_SEL) = index;
    if (REG32(base + QUEUE_READY) != 0 || REG32(base + QUEUE_NUM_MAX) < VQ_SIZE) {
        fail("virtio: queue unavailable");
    }
    REG32(base + QUEUE_NUM) = VQ_SIZE;
    REG32(base + QUEUE_DESC) = (uint32_t)(uintptr_t)vq->desc;
    REG32(base + QUEUE_DESC + 4) = (uint32_t)((uintptr_t)vq->desc >> 32);
    REG32(base + QUEUE_DRIVER) = (uint32_t)(uintptr_t)vq->avail;
    REG32(base + QUEUE_DRIVER + 4) = (uint32_t)((uintptr_t)vq->avail >> 32);
    REG32(base + QUEUE_DEVICE) = (uint32_t)(uintptr_t)vq->used;
    REG32(base + QUEUE_DEVICE + 4) = (uint32_t)((uintptr_t)vq->used >> 32);
    REG32(base + QUEUE_READY) = 1;
}

void virtio_driver_ok(uintptr_t base) {
    REG32(base + STATUS) = S_ACKNOWLEDGE | S_DRIVER | S_FEATURES_OK | S_DRIVER_OK;
}

uint32_t virtio_status(uintptr_t base) {
    return REG32(base + STATUS);
}

void vq_offer(struct virtqueue *vq, uint16_t head) {
    volatile struct vq_avail *avail = vq->avail;
    avail->ring[avail->idx % VQ_SIZE] = head;
    fence();
    avail->idx = avail->idx + 1;
    fence();
    REG32(vq->base + QUEUE_NOTIFY) = vq->index;
}

int vq_take(struct virtqueue *vq, struct vq_used_elem *elem) {
    volatile struct vq_used *used = vq->used;
    if (used->idx == vq->last_used) {
        return 0;
    }
    fence();
    elem->id = used->ring[vq->last_used % VQ_SIZE].id;
    elem->len = used->ring[vq->last_used % VQ_SIZE].len;
    vq->last_used++;
    return 1;
}

void vq_wait(struct virtqueue *vq, struct vq_used_elem *elem) {
    while (!vq_take(vq, elem)) {
        if (virtio_status(vq->base) & 0x40) {
            fail("virtio: device needs reset");
        }
    }
}
