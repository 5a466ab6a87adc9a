/* Privileged architecture: exceptions and their tval, delegation, ECALL per mode, misaligned accesses, Sv39
   paging with U/S permissions, SUM, MXR, hardware A/D updates and page-fault tval. */
#include "check.h"

#define PTE_V 1
#define PTE_R 2
#define PTE_W 4
#define PTE_X 8
#define PTE_U 16
#define PTE_A 64
#define PTE_D 128
#define SUM (1UL << 18)
#define MXR (1UL << 19)

static uint64_t root[512] __attribute__((aligned(4096)));
static uint64_t level1[512] __attribute__((aligned(4096)));
static uint64_t level0[512] __attribute__((aligned(4096)));
static volatile uint64_t pages[4][512] __attribute__((aligned(4096)));

#define USER_PAGE 0x40000000UL
#define EXEC_ONLY_PAGE 0x40001000UL
#define FRESH_PAGE 0x40002000UL

static volatile uint64_t observed;

static void exceptions(void) {
    m_traps.count = 0;
    __asm__ volatile(".word 0xffffffff");
    CHECK_EQ(m_traps.cause, 2);
    CHECK_EQ(m_traps.tval, 0xffffffff);
    __asm__ volatile(".half 0x0000");
    CHECK_EQ(m_traps.cause, 2);
    CHECK_EQ(m_traps.tval, 0);
    __asm__ volatile("ebreak");
    CHECK_EQ(m_traps.cause, 3);
    __asm__ volatile("csrr t0, 0x7ff" ::: "t0");
    CHECK_EQ(m_traps.cause, 2);
    __asm__ volatile("ecall");
    CHECK_EQ(m_traps.cause, 11);
    CHECK_EQ(m_traps.count, 5);
}

static void misaligned(void) {
    static uint8_t buffer[16] __attribute__((aligned(8))) = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
    uint64_t before = m_traps.count;
    uint64_t value;
    __asm__ volatile("ld %0, 3(%1)" : "=r"(value) : "r"(buffer));
    CHECK_EQ(value, 0x0B0A090807060504ULL);
    __asm__ volatile("sw %0, 1(%1)" :: "r"(0xAABBCCDD), "r"(buffer) : "memory");
    CHECK_EQ(buffer[1], 0xDD);
    CHECK_EQ(buffer[4], 0xAA);
    CHECK_EQ(m_traps.count, before);
}

static void supervisor_illegal(void) {
    __asm__ volatile(".word 0xffffffff");
    __asm__ volatile("csrr t0, mstatus" ::: "t0");
    __asm__ volatile("ecall");
}

extern char s_trap_vector[];

static void delegation(void) {
    CSR_WRITE(stvec, (uint64_t)s_trap_vector);
}

static void user_body(void) {
    __asm__ volatile("csrr t0, sstatus" ::: "t0");
    __asm__ volatile("ecall");
}

static void supervisor_paged(void) {
    observed = *(volatile uint64_t *)USER_PAGE;
    CSR_SET(sstatus, SUM);
    observed = *(volatile uint64_t *)USER_PAGE;
    CSR_CLEAR(sstatus, SUM);
    observed = *(volatile uint64_t *)EXEC_ONLY_PAGE;
    CSR_SET(sstatus, MXR);
    observed = *(volatile uint64_t *)EXEC_ONLY_PAGE;
    CSR_CLEAR(sstatus, MXR);
    (void)*(volatile uint64_t *)FRESH_PAGE;
    *(volatile uint64_t *)(FRESH_PAGE + 8) = 5;
    (void)*(volatile uint64_t *)(FRESH_PAGE + 0x1000);
    __asm__ volatile("ecall");
}

static void paging(void) {
    for (int i = 0; i < 4; i++) {
        pages[i][0] = 0x1111 * (i + 1);
    }
    root[2] = (0x80000000UL >> 12) << 10 | PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D;
    root[1] = ((uint64_t)level1 >> 12) << 10 | PTE_V;
    level1[0] = ((uint64_t)level0 >> 12) << 10 | PTE_V;
    level0[0] = ((uint64_t)pages[0] >> 12) << 10 | PTE_V | PTE_R | PTE_W | PTE_U | PTE_A | PTE_D;
    level0[1] = ((uint64_t)pages[1] >> 12) << 10 | PTE_V | PTE_X | PTE_A;
    level0[2] = ((uint64_t)pages[2] >> 12) << 10 | PTE_V | PTE_R | PTE_W;
    CSR_WRITE(satp, (8UL << 60) | ((uint64_t)root >> 12));
    CHECK_EQ(CSR_READ(satp) >> 60, 8);
    __asm__ volatile("sfence.vma");
    m_traps.count = 0;
    run_in_mode(1, supervisor_paged);
    CHECK_EQ(m_traps.count, 3);
    CHECK_EQ(observed, 0x2222);
    CHECK(level0[2] & PTE_A);
    CHECK(level0[2] & PTE_D);
    CHECK_EQ(m_traps.cause, 13);
    CHECK_EQ(m_traps.tval, FRESH_PAGE + 0x1000);
    CSR_WRITE(satp, 0);
    CHECK_EQ(pages[2][1], 5);
}

int main(void) {
    exceptions();
    misaligned();
    delegation();
    CSR_WRITE(medeleg, 1 << 2);
    CHECK_EQ(CSR_READ(medeleg), 1 << 2);
    s_traps.count = 0;
    m_traps.count = 0;
    run_in_mode(1, supervisor_illegal);
    CHECK_EQ(s_traps.count, 2);
    CHECK_EQ(s_traps.cause, 2);
    CHECK_EQ(s_traps.tval, 0x300022f3);
    CHECK_EQ(m_traps.count, 0);
    run_in_mode(0, user_body);
    CHECK_EQ(s_traps.count, 3);
    CHECK_EQ(s_traps.tval, 0x100022f3);
    CSR_WRITE(medeleg, 0);
    uint64_t satp_before = CSR_READ(satp);
    CSR_WRITE(satp, 12UL << 60);
    CHECK_EQ(CSR_READ(satp), satp_before);
    paging();
    finish();
}
