/* A virtio-net driver on a LAN: built with -DPING it broadcasts "ping" frames (every 50 ms, the other side may
   not be up yet) until a "pong" addressed to it arrives, then exits; otherwise it answers every ping, forever. */
#include "devices.h"
#include "virtio.h"

#define DEVICE_NET 1
#define F_MAC (1u << 5)
#define HEADER 12
#define FRAME_MAX 1514
#define RX_BUFFERS 4
#define ETHERTYPE_HI 0x88
#define ETHERTYPE_LO 0xb5
#define TICKS_PER_MS 10000

static uint8_t rx[RX_BUFFERS][HEADER + FRAME_MAX];
static uint8_t tx[HEADER + FRAME_MAX];
static uint8_t mac[6];
static struct virtqueue receive;
static struct virtqueue transmit;

static int append(uint8_t *to, int at, const char *text) {
    while (*text) {
        to[at++] = (uint8_t)*text++;
    }
    return at;
}

static int append_mac(uint8_t *to, int at, const uint8_t *address) {
    for (int i = 0; i < 6; i++) {
        to[at++] = (uint8_t)"0123456789abcdef"[address[i] >> 4];
        to[at++] = (uint8_t)"0123456789abcdef"[address[i] & 15];
        if (i < 5) {
            to[at++] = ':';
        }
    }
    return at;
}

static void send(const uint8_t *destination, const char *word) {
    bytes_fill(tx, 0, HEADER);
    uint8_t *frame = tx + HEADER;
    bytes_copy(frame, destination, 6);
    bytes_copy(frame + 6, mac, 6);
    frame[12] = ETHERTYPE_HI;
    frame[13] = ETHERTYPE_LO;
    int length = append(frame, 14, word);
    length = append(frame, length, " from ");
    length = append_mac(frame, length, mac);
    while (length < 60) {
        frame[length++] = 0;
    }
    transmit.desc[0].addr = (uintptr_t)tx;
    transmit.desc[0].len = HEADER + length;
    transmit.desc[0].flags = 0;
    transmit.desc[0].next = 0;
    vq_offer(&transmit, 0);
    struct vq_used_elem used;
    vq_wait(&transmit, &used);
}

static void post(int buffer) {
    receive.desc[buffer].addr = (uintptr_t)rx[buffer];
    receive.desc[buffer].len = sizeof(rx[buffer]);
    receive.desc[buffer].flags = VQ_WRITE;
    receive.desc[buffer].next = 0;
    vq_offer(&receive, (uint16_t)buffer);
}

static int starts_with(const uint8_t *bytes, const char *prefix) {
    for (; *prefix; prefix++, bytes++) {
        if (*bytes != (uint8_t)*prefix) {
            return 0;
        }
    }
    return 1;
}

/* Waits up to `ms` for a frame of ours whose payload starts with `word`; copies its source to `from`. */
static int await_frame(const char *word, uint64_t ms, uint8_t *from) {
    uint64_t deadline = REG64(CLINT_MTIME) + ms * TICKS_PER_MS;
    while (REG64(CLINT_MTIME) < deadline) {
        struct vq_used_elem used;
        if (!vq_take(&receive, &used)) {
            continue;
        }
        uint8_t *frame = rx[used.id] + HEADER;
        int found = used.len >= HEADER + 14 + 4 && frame[12] == ETHERTYPE_HI && frame[13] == ETHERTYPE_LO
                && starts_with(frame + 14, word);
        if (found) {
            bytes_copy(from, frame + 6, 6);
            uart_puts("got: ");
            print_bytes(frame + 14, (int)used.len - HEADER - 14);
            uart_puts("\n");
        }
        post((int)used.id);
        if (found) {
            return 1;
        }
    }
    return 0;
}

int main(void) {
    uintptr_t base = virtio_find(DEVICE_NET, 0);
    if (!base) {
        fail("no virtio-net device");
    }
    virtio_negotiate(base, F_MAC);
    for (int i = 0; i < 6; i++) {
        mac[i] = REG8(base + 0x100 + i);
    }
    virtio_queue(base, 0, &receive, 0);
    virtio_queue(base, 1, &transmit, 1);
    for (int buffer = 0; buffer < RX_BUFFERS; buffer++) {
        post(buffer);
    }
    virtio_driver_ok(base);
    uint8_t text[17];
    uart_puts("mac ");
    print_bytes(text, append_mac(text, 0, mac));
    uart_puts("\n");

    uint8_t peer[6];
#ifdef PING
    static const uint8_t broadcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
    for (int attempt = 0; attempt < 1200; attempt++) {
        send(broadcast, "ping");
        if (await_frame("pong", 50, peer)) {
            return 0;
        }
    }
    fail("no pong");
#else
    for (;;) {
        if (await_frame("ping", 1000, peer)) {
            send(peer, "pong");
        }
    }
#endif
}
