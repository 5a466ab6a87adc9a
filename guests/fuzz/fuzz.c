/*
 * The guest-side fuzzer. From a seed, it alternates bursts of random reads and writes (of 1, 2, 4 or 8 bytes,
 * random values) to every device window of the virt board (UART, the eight virtio-mmio slots, PLIC, CLINT,
 * RTC; the test finisher only to finish) with runs of random code: random words written into a 2 MiB
 * playground, entered in user mode at a random place. User mode under Sv39 sees only the playground, so the code
 * can neither reach the devices nor damage the fuzzer; a CLINT timer interrupt ends code that loops. Every trap,
 * in either phase, is caught and counted, and the fuzzer carries on. At the end it prints its counts and exits
 * through the finisher with status 0.
 *
 * The seed is the word after the marker "POGOSEED" in the image: a test patches it into a copy of the ELF.
 */
#include <stdint.h>
#include "guest.h"

#define ROUNDS 1500
#define POKES_PER_ROUND 16
#define PLAYGROUND 0x80400000UL
#define PLAYGROUND_BYTES (2UL << 20)
#define CLINT_MTIMECMP 0x2004000UL
#define CLINT_MTIME 0x200bff8UL
#define TIMER_BUDGET 2000
#define MIE_MTIE (1UL << 7)
#define MSTATUS_FS_INITIAL (1UL << 13)
#define PTE_V 0x01
#define PTE_R 0x02
#define PTE_W 0x04
#define PTE_X 0x08
#define PTE_U 0x10
#define PTE_A 0x40
#define PTE_D 0x80

int fuzz_try(void (*fn)(void *), void *arg);
void enter_user(uint64_t entry);
extern volatile uint64_t fuzz_last_cause;

/* "POGOSEED" and the seed; volatile so that the compiler reads the patched word, not the one it saw. */
volatile const uint64_t fuzz_seed[2] __attribute__((used)) = {0x4445455345474f50ULL, 20261114};

static uint64_t state;

static uint64_t next(void) {
    state ^= state >> 12;
    state ^= state << 25;
    state ^= state >> 27;
    return state * 0x2545f4914f6cdd1dULL;
}

static uint64_t below(uint64_t bound) {
    return next() % bound;
}

/* A device window and the part of it where its registers are. */
struct window {
    uint64_t base;
    uint64_t span;
};

static const struct window windows[] = {
    {0x10000000UL, 0x100},                                           /* UART */
    {0x10001000UL, 0x200}, {0x10002000UL, 0x200}, {0x10003000UL, 0x200}, {0x10004000UL, 0x200},
    {0x10005000UL, 0x200}, {0x10006000UL, 0x200}, {0x10007000UL, 0x200}, {0x10008000UL, 0x200}, /* virtio */
    {0x0c000000UL, 0x100}, {0x0c001000UL, 0x80}, {0x0c002000UL, 0x100},  /* PLIC priorities, pending, enables */
    {0x0c200000UL, 0x10}, {0x0c201000UL, 0x10},                        /* PLIC contexts: threshold, claim */
    {0x02000000UL, 0x10}, {0x02004000UL, 0x10}, {0x0200bff0UL, 0x10},  /* CLINT msip, mtimecmp, mtime */
    {0x00101000UL, 0x20},                                            /* RTC */
};

struct access {
    uint64_t address;
    uint64_t value;
    int size;
    int write;
};

static void poke(void *arg) {
    struct access *a = arg;
    if (a->write) {
        switch (a->size) {
        case 1: *(volatile uint8_t *)a->address = (uint8_t)a->value; break;
        case 2: *(volatile uint16_t *)a->address = (uint16_t)a->value; break;
        case 4: *(volatile uint32_t *)a->address = (uint32_t)a->value; break;
        default: *(volatile uint64_t *)a->address = a->value; break;
        }
    } else {
        switch (a->size) {
        case 1: a->value = *(volatile uint8_t *)a->address; break;
        case 2: a->value = *(volatile uint16_t *)a->address; break;
        case 4: a->value = *(volatile uint32_t *)a->address; break;
        default: a->value = *(volatile uint64_t *)a->address; break;
        }
    }
}

/* Mostly small numbers and edge values, which registers take seriously; sometimes anything at all. */
static uint64_t random_value(void) {
    switch (below(4)) {
    case 0: return below(16);
    case 1: return 1UL << below(64);
    case 2: return below(2) ? 0 : ~0UL;
    default: return next();
    }
}

static void user_code(void *arg) {
    enter_user(*(uint64_t *)arg);
}

static uint64_t root_table[512] __attribute__((aligned(4096)));
static uint64_t middle_table[512] __attribute__((aligned(4096)));

/* User mode sees the playground (identity-mapped, one 2 MiB page) and nothing else; PMP lets it through. */
static void confine_user_mode(void) {
    root_table[(PLAYGROUND >> 30) & 511] = ((uint64_t)middle_table >> 12) << 10 | PTE_V;
    middle_table[(PLAYGROUND >> 21) & 511] =
        (PLAYGROUND >> 12) << 10 | PTE_V | PTE_R | PTE_W | PTE_X | PTE_U | PTE_A | PTE_D;
    __asm__ volatile("csrw pmpaddr0, %0" ::"r"(~0UL));
    __asm__ volatile("csrw pmpcfg0, %0" ::"r"(0x1fUL));
    __asm__ volatile("csrw satp, %0" ::"r"(8UL << 60 | (uint64_t)root_table >> 12));
    __asm__ volatile("sfence.vma" ::: "memory");
    __asm__ volatile("csrs mstatus, %0" ::"r"(MSTATUS_FS_INITIAL));
    __asm__ volatile("csrs mie, %0" ::"r"(MIE_MTIE));
}

/* The UART as the fuzz left it may be in loopback or with the divisor latch open: make it print again. */
static void restore_uart(void) {
    volatile uint8_t *uart = (volatile uint8_t *)0x10000000UL;
    uart[3] = 0x03;
    uart[1] = 0x00;
    uart[2] = 0x07;
    uart[4] = 0x00;
}

static void print_count(const char *name, uint64_t count) {
    uart_puts(name);
    uart_puthex(count);
    uart_puts("\n");
}

int main(void) {
    state = fuzz_seed[1] | 1;
    uint64_t accesses = 0, access_traps = 0, runs = 0, run_traps = 0, timer_stops = 0;
    uart_puts("fuzz seed ");
    uart_puthex(fuzz_seed[1]);
    uart_puts("\n");
    confine_user_mode();
    for (int round = 0; round < ROUNDS; round++) {
        for (int i = 0; i < POKES_PER_ROUND; i++) {
            const struct window *w = &windows[below(sizeof windows / sizeof windows[0])];
            struct access a;
            a.size = 1 << below(4);
            a.address = (w->base + below(w->span)) & ~(uint64_t)(a.size - 1);
            a.value = random_value();
            a.write = (int)below(2);
            accesses++;
            access_traps += fuzz_try(poke, &a);
        }
        uint64_t length = 4 * (1 + below(256));
        uint64_t start = PLAYGROUND + (below(PLAYGROUND_BYTES - length) & ~3UL);
        for (uint64_t at = start; at < start + length; at += 4) {
            *(volatile uint32_t *)at = (uint32_t)next();
        }
        __asm__ volatile("fence.i" ::: "memory");
        uint64_t entry = below(8) == 0 ? next() : start + (below(length) & ~1UL);
        *(volatile uint64_t *)CLINT_MTIMECMP = *(volatile uint64_t *)CLINT_MTIME + TIMER_BUDGET;
        runs++;
        if (fuzz_try(user_code, &entry)) {
            run_traps++;
            timer_stops += fuzz_last_cause == (1UL << 63 | 7);
        }
        *(volatile uint64_t *)CLINT_MTIMECMP = ~0UL;
    }
    restore_uart();
    print_count("device accesses ", accesses);
    print_count("device accesses that trapped ", access_traps);
    print_count("code runs ", runs);
    print_count("code runs that trapped ", run_traps);
    print_count("code runs the timer stopped ", timer_stops);
    uart_puts("fuzz done\n");
    return 0;
}
