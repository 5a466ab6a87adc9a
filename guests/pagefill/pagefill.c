/* The page-fill workload: a user program fills FILL_MIB MiB of fresh 4 KiB pages byte by byte, sums them, and
 * hands the checksum to machine mode with ECALL, which prints it and leaves through the test finisher. The user
 * pages sit at virtual 0x4000_0000, backed by RAM 16 MiB above the image; code, data and stack are reached
 * through one user gigapage at 0x8000_0000, mapped to itself. The checksum is FNV-1a over the bytes in order. */
#include <stdint.h>
#include "guest.h"

#define PAGE 4096UL
#define FILL_BYTES ((uint64_t)FILL_MIB << 20)
#define FILL_VIRTUAL 0x40000000UL
#define FILL_PHYSICAL 0x81000000UL
#define LEAF_TABLES (FILL_BYTES / (512 * PAGE))

#define PTE_V (1UL << 0)
#define PTE_R (1UL << 1)
#define PTE_W (1UL << 2)
#define PTE_X (1UL << 3)
#define PTE_U (1UL << 4)
#define PTE_A (1UL << 6)
#define PTE_D (1UL << 7)
#define SATP_SV39 (8UL << 60)
#define ECALL_FROM_USER 8
/* FNV-1a, 64 bits */
#define FNV_OFFSET 0xcbf29ce484222325UL
#define FNV_PRIME 0x100000001b3UL

typedef uint64_t table[512] __attribute__((aligned(PAGE)));

static table root, middle, leaves[LEAF_TABLES];

static uint64_t pointer_to(void *next) {
    return ((uint64_t)next >> 12) << 10 | PTE_V;
}

static uint64_t leaf(uint64_t physical, uint64_t permissions) {
    return (physical >> 12) << 10 | permissions | PTE_A | PTE_D | PTE_V;
}

uint64_t build_page_tables(void) {
    root[0x80000000UL >> 30] = leaf(0x80000000UL, PTE_R | PTE_W | PTE_X | PTE_U);
    root[FILL_VIRTUAL >> 30] = pointer_to(middle);
    for (uint64_t t = 0; t < LEAF_TABLES; t++) {
        middle[t] = pointer_to(leaves[t]);
        for (uint64_t p = 0; p < 512; p++) {
            leaves[t][p] = leaf(FILL_PHYSICAL + (t * 512 + p) * PAGE, PTE_R | PTE_W | PTE_U);
        }
    }
    return SATP_SV39 | ((uint64_t)root >> 12);
}

void user_main(void) {
    volatile uint8_t *bytes = (volatile uint8_t *)FILL_VIRTUAL;
    for (uint64_t i = 0; i < FILL_BYTES; i++) {
        bytes[i] = (uint8_t)(i ^ (i >> 12));
    }
    uint64_t sum = FNV_OFFSET;
    for (uint64_t i = 0; i < FILL_BYTES; i++) {
        sum = (sum ^ bytes[i]) * FNV_PRIME;
    }
    register uint64_t a0 __asm__("a0") = sum;
    __asm__ volatile("ecall" : : "r"(a0));
    for (;;) {
    }
}

void machine_trap(uint64_t mcause, uint64_t mepc, uint64_t mtval, uint64_t sum) {
    if (mcause != ECALL_FROM_USER) {
        guest_trap(mcause, mepc, mtval);
    }
    uart_puts("pagefill: ");
    if (FILL_MIB >= 10) {
        uart_putc((char)('0' + FILL_MIB / 10));
    }
    uart_putc((char)('0' + FILL_MIB % 10));
    uart_puts(" MiB, checksum ");
    uart_puthex(sum);
    uart_puts("\n");
    guest_exit(0);
}
