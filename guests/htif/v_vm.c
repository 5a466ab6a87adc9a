/*
 * The virtual-memory part of a riscv-tests "v" style test, after env/v/vm.c: machine mode maps RAM twice with
 * Sv39 gigapages (for the kernel at KERNEL_OFFSET above physical, for the user test at 0), supervisor code runs
 * at the kernel alias and reaches tohost through it, and the user test's ecall ends the run.
 */
#include <stdint.h>

#define DRAM_BASE 0x80000000UL
#define KERNEL_OFFSET 0xFFFFFFC000000000UL
#define PTE_V 0x01
#define PTE_R 0x02
#define PTE_W 0x04
#define PTE_X 0x08
#define PTE_U 0x10
#define PTE_A 0x40
#define PTE_D 0x80
#define SATP_SV39 (8UL << 60)
#define CAUSE_USER_ECALL 8

volatile uint64_t tohost __attribute__((section(".tohost"), aligned(64)));
volatile uint64_t fromhost __attribute__((section(".tohost"), aligned(64)));

static uint64_t root_table[512] __attribute__((aligned(4096)));

void supervisor_trap_entry(void);
void user_test(void);
void supervisor_main(void);

#define write_csr(csr, value) __asm__ volatile ("csrw " #csr ", %0" :: "r"(value))
#define set_csr(csr, bits) __asm__ volatile ("csrs " #csr ", %0" :: "r"(bits))
#define clear_csr(csr, bits) __asm__ volatile ("csrc " #csr ", %0" :: "r"(bits))

static uintptr_t kernel_alias(void (*physical)(void)) {
    return (uintptr_t) physical + KERNEL_OFFSET;
}

void vm_boot(void) {
    uint64_t gigapage = DRAM_BASE >> 12 << 10 | PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D;
    root_table[0] = gigapage | PTE_U;
    root_table[((DRAM_BASE + KERNEL_OFFSET) >> 30) & 511] = gigapage;
    write_csr(satp, SATP_SV39 | (uintptr_t) root_table >> 12);
    __asm__ volatile ("sfence.vma" ::: "memory");
    write_csr(stvec, kernel_alias(supervisor_trap_entry));
    write_csr(medeleg, 1UL << CAUSE_USER_ECALL | 1UL << 12 | 1UL << 13 | 1UL << 15);
    clear_csr(mstatus, 3UL << 11);
    set_csr(mstatus, 1UL << 11);
    write_csr(mepc, kernel_alias(supervisor_main));
    __asm__ volatile ("mret");
}

/* From here on the code runs in supervisor mode at the kernel alias. */

static void do_tohost(uint64_t value) {
    while (tohost) {
        fromhost = 0;
    }
    tohost = value;
}

static void cputchar(int c) {
    do_tohost(0x0101000000000000UL | (unsigned char) c);
}

static void cputstring(const char *s) {
    while (*s) {
        cputchar(*s++);
    }
}

static void terminate(uint64_t code) {
    do_tohost(code);
    for (;;) {
    }
}

void supervisor_main(void) {
    cputstring("htif v: supervisor runs under Sv39\n");
    uintptr_t user_entry = (uintptr_t) user_test - KERNEL_OFFSET - DRAM_BASE;
    write_csr(sepc, user_entry);
    clear_csr(sstatus, 1UL << 8);
    __asm__ volatile ("sret");
}

void supervisor_trap(uint64_t a0, uint64_t cause) {
    if (cause == CAUSE_USER_ECALL) {
        cputstring(a0 == 1 ? "htif v: user test passed\n" : "htif v: user test failed\n");
        terminate(a0);
    }
    terminate(98 << 1 | 1);
}
