/* Two harts (--smp 2 / -smp 2): both add to shared counters with AMOADD and with LR/SC loops, and hart 1
   patches code hart 0 has already run, which hart 0 must see after its FENCE.I. */
#include "check.h"

#define ROUNDS 20000

static volatile uint64_t amo_counter, lr_sc_counter, word_counter;
static volatile uint64_t secondary_done, patched;
static uint32_t shared_code[2] __attribute__((aligned(8)));

static void add_with_lr_sc(volatile uint64_t *counter) {
    uint64_t value, failed;
    do {
        __asm__ volatile("lr.d.aq %0, (%1)" : "=r"(value) : "r"(counter) : "memory");
        __asm__ volatile("sc.d.rl %0, %2, (%1)" : "=r"(failed) : "r"(counter), "r"(value + 1) : "memory");
    } while (failed);
}

static void add_word_with_lr_sc(volatile uint64_t *counter) {
    uint64_t value, failed;
    do {
        __asm__ volatile("lr.w %0, (%1)" : "=r"(value) : "r"(counter) : "memory");
        __asm__ volatile("sc.w %0, %2, (%1)" : "=r"(failed) : "r"(counter), "r"(value + 1) : "memory");
    } while (failed);
}

static void count(void) {
    for (int i = 0; i < ROUNDS; i++) {
        __asm__ volatile("amoadd.d zero, %1, (%0)" :: "r"(&amo_counter), "r"(1UL) : "memory");
        add_with_lr_sc(&lr_sc_counter);
        add_word_with_lr_sc(&word_counter);
    }
}

static uint32_t li_a0(int n) {
    return (uint32_t)n << 20 | 10 << 7 | 0x13;
}

void secondary_main(void) {
    count();
    while (!patched) {
    }
    shared_code[0] = li_a0(2);
    __asm__ volatile("fence w, w" ::: "memory");
    secondary_done = 1;
    for (;;) {
        __asm__ volatile("wfi");
    }
}

int main(void) {
    uint64_t (*function)(void) = (uint64_t (*)(void))shared_code;
    shared_code[0] = li_a0(1);
    shared_code[1] = 0x00008067;
    __asm__ volatile("fence.i" ::: "memory");
    for (int i = 0; i < 100; i++) {
        CHECK_EQ(function(), 1);
    }
    patched = 1;
    count();
    while (!secondary_done) {
    }
    __asm__ volatile("fence r, r; fence.i" ::: "memory");
    CHECK_EQ(function(), 2);
    CHECK_EQ(amo_counter, 2 * ROUNDS);
    CHECK_EQ(lr_sc_counter, 2 * ROUNDS);
    CHECK_EQ(word_counter, 2 * ROUNDS);
    finish();
}
