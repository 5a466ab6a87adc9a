/* A hostile balloon driver: inflates page numbers outside RAM (address 0, the UART, just below and just past RAM,
   the largest PFN), a chain with a torn page number, a deflate of pages never inflated, an absurd "actual", and a
   second statistics buffer while the first is held. The device must ignore what is not RAM, give back the one
   page of RAM named (it reads as zero afterwards, as under QEMU), complete every chain, and the VM go on. */
#include "devices.h"
#include "virtio.h"

#define DEVICE_BALLOON 5
#define F_STATS_VQ (1u << 1)
#define CONFIG 0x100
#define RAM_BASE 0x80000000UL

static uint8_t victim[4096] __attribute__((aligned(4096)));
static uint32_t pfns[8];
static uint8_t stats[2][20];
static struct virtqueue inflate;
static struct virtqueue deflate;
static struct virtqueue statsq;

static void send(struct virtqueue *vq, void *buffer, uint32_t length, uint16_t flags) {
    vq->desc[0].addr = (uintptr_t)buffer;
    vq->desc[0].len = length;
    vq->desc[0].flags = flags;
    vq->desc[0].next = 0;
    vq_offer(vq, 0);
    struct vq_used_elem used;
    vq_wait(vq, &used);
}

int main(void) {
    uintptr_t base = virtio_find(DEVICE_BALLOON, 0);
    if (!base) {
        fail("no virtio-balloon device");
    }
    virtio_negotiate(base, F_STATS_VQ);
    virtio_queue(base, 0, &inflate, 0);
    virtio_queue(base, 1, &deflate, 1);
    virtio_queue(base, 2, &statsq, 2);
    virtio_driver_ok(base);

    bytes_fill(victim, 0xaa, sizeof(victim));
    uint64_t ram_end = RAM_BASE + (64UL << 20);
    pfns[0] = 0;
    pfns[1] = UART0 >> 12;
    pfns[2] = (RAM_BASE >> 12) - 1;
    pfns[3] = ram_end >> 12;
    pfns[4] = 0xffffffffu;
    pfns[5] = (uint32_t)((uintptr_t)victim >> 12);
    send(&inflate, pfns, 6 * sizeof(uint32_t), 0);
    uart_puts("inflated outside RAM: ignored; inflated page reads ");
    print_dec(victim[0] | victim[4095]);
    uart_puts("\n");

    pfns[0] = (uint32_t)((uintptr_t)victim >> 12);
    send(&inflate, pfns, 6, 0);
    send(&deflate, pfns, 8 * sizeof(uint32_t), 0);
    uart_puts("torn inflate and wild deflate: completed\n");

    REG32(base + CONFIG + 4) = 0xffffffffu;
    uart_puts("actual reads ");
    print_dec(REG32(base + CONFIG + 4));
    uart_puts(", num_pages reads ");
    print_dec(REG32(base + CONFIG));
    uart_puts("\n");

    bytes_fill(stats, 0xff, sizeof(stats));
    statsq.desc[0].addr = (uintptr_t)stats[0];
    statsq.desc[0].len = 7;
    statsq.desc[0].flags = 0;
    statsq.desc[1].addr = (uintptr_t)stats[1];
    statsq.desc[1].len = 20;
    statsq.desc[1].flags = 0;
    vq_offer(&statsq, 0);
    vq_offer(&statsq, 1);
    struct vq_used_elem used;
    vq_wait(&statsq, &used);
    uart_puts("second stats buffer returned the first: ");
    print_dec(used.id);
    uart_puts("\n");

    if (virtio_status(base) & 0x40) {
        fail("the balloon needs a reset");
    }
    uart_puts("balloon: still running\n");
    return 0;
}
