/* Two harts (--smp 2 / -smp 2): both add to shared counters with AMOADD and with LR/SC loops, and hart 1
   patches code hart 0 has already run, which hart 0 must see after its FENCE.I. A hart waiting for the other
   sleeps in WFI until the other's software interrupt, as SMP kernels wait, rather than spinning: how long it waits
   then depends on when the host runs the other hart, and a spinning hart ran out of the test's instruction limit
   on a busy host. */
#include "check.h"

#define ROUNDS 20000
#define CLINT_MSIP ((volatile uint32_t *)0x2000000UL)
#define MIP_MSIP (1u << 3)

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

/* Sleeps until *flag is set; mstatus.MIE stays clear, so the other hart's interrupt only ends the WFI. */
static void wait_for(volatile uint64_t *flag, int hart) {
    CSR_SET(mie, MIP_MSIP);
    while (!*flag) {
        __asm__ volatile("wfi");
    }
    CLINT_MSIP[hart] = 0;
    CSR_CLEAR(mie, MIP_MSIP);
}

/* Sets *flag, then wakes the hart waiting for it. */
static void signal(volatile uint64_t *flag, int hart) {
    __asm__ volatile("fence w, w" ::: "memory");
    *flag = 1;
    __asm__ volatile("fence w, o" ::: "memory");
    CLINT_MSIP[hart] = 1;
}

static uint32_t li_a0(int n) {
    return (uint32_t)n << 20 | 10 << 7 | 0x13;
}

void secondary_main(void) {
    count();
    wait_for(&patched, 1);
    shared_code[0] = li_a0(2);
    signal(&secondary_done, 0);
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
    signal(&patched, 1);
    count();
    wait_for(&secondary_done, 0);
    __asm__ volatile("fence r, r; fence.i" ::: "memory");
    CHECK_EQ(function(), 2);
    CHECK_EQ(amo_counter, 2 * ROUNDS);
    CHECK_EQ(lr_sc_counter, 2 * ROUNDS);
    CHECK_EQ(word_counter, 2 * ROUNDS);
    finish();
}
