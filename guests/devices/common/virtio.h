/* A minimal virtio-mmio (version 2) driver with split virtqueues of 8 descriptors, polled for completions. */
#ifndef VIRTIO_H
#define VIRTIO_H
#include <stdint.h>

#define VIRTIO_MMIO_BASE 0x10001000UL
#define VIRTIO_SLOTS 8
#define VQ_SIZE 8
#define VQ_NEXT 1
#define VQ_WRITE 2

struct vq_desc {
    uint64_t addr;
    uint32_t len;
    uint16_t flags;
    uint16_t next;
};

struct vq_avail {
    uint16_t flags;
    uint16_t idx;
    uint16_t ring[VQ_SIZE];
    uint16_t used_event;
};

struct vq_used_elem {
    uint32_t id;
    uint32_t len;
};

struct vq_used {
    uint16_t flags;
    uint16_t idx;
    struct vq_used_elem ring[VQ_SIZE];
    uint16_t avail_event;
};

struct virtqueue {
    uintptr_t base;
    int index;
    struct vq_desc *desc;
    struct vq_avail *avail;
    struct vq_used *used;
    uint16_t last_used;
};

/* The base of the slot holding the (skip+1)-th device_id in plug order, or 0. QEMU's virt board and Pogo plug
   virtio devices from the last slot (0x10008000) down and put a transport with device ID 0 in every other slot, so
   the scan goes from the top and skips what it does not want. */
uintptr_t virtio_find(uint32_t device_id, int skip);
/* Reset, ACKNOWLEDGE, DRIVER, features (VERSION_1 | wanted), FEATURES_OK; fails the guest if refused. */
void virtio_negotiate(uintptr_t base, uint32_t wanted);
/* As xv6-riscv's driver does: reads and writes feature word 0 only (so never VERSION_1), then FEATURES_OK,
   which it insists on. */
void virtio_negotiate_word0(uintptr_t base, uint32_t wanted);
/* Sets up queue `index` in the static ring memory slot `slot`. */
void virtio_queue(uintptr_t base, int index, struct virtqueue *vq, int slot);
void virtio_driver_ok(uintptr_t base);
/* Offers the chain at `head` and notifies. */
void vq_offer(struct virtqueue *vq, uint16_t head);
/* The next used element, or 0 if the device returned nothing yet. */
int vq_take(struct virtqueue *vq, struct vq_used_elem *elem);
/* Waits (polling) for the next used element. */
void vq_wait(struct virtqueue *vq, struct vq_used_elem *elem);
uint32_t virtio_status(uintptr_t base);

#endif
