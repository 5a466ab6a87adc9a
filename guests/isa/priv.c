/* Privileged architecture: every exception cause with its tval, delegation, ECALL per mode, misaligned
   accesses, TVM/TW/TSR, MPRV, Sv39 and Sv48 paging with U/S permissions, SUM, MXR, hardware A/D updates,
   page faults of every access type, and access faults on unmapped physical addresses (tval virtual).
   Cause 0 (instruction address misaligned) cannot occur: with C, every jump target is 2-byte aligned. */
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
/* User-mode code on a user page: reads USER_PAGE and copies the value to USER_PAGE + 8, calls into
   EXEC_ONLY_PAGE (a supervisor page: fetch page fault, resumed at ra), then ECALL. */
static uint32_t user_code[1024] __attribute__((aligned(4096))) = {
    0x400002B7, /* lui  t0, 0x40000 */
    0x0002B303, /* ld   t1, 0(t0) */
    0x0062B423, /* sd   t1, 8(t0) */
    0x400012B7, /* lui  t0, 0x40001 */
    0x000280E7, /* jalr ra, 0(t0) */
    0x00000073, /* ecall */
};

#define USER_PAGE 0x40000000UL
#define EXEC_ONLY_PAGE 0x40001000UL
#define FRESH_PAGE 0x40002000UL
#define UNMAPPED_PHYSICAL 0x200000UL
#define DEVICE_HOLE_PAGE 0x40006000UL
#define READ_ONLY_PAGE 0x40004000UL
#define USER_CODE_PAGE 0x40005000UL
/* USER_PAGE again, at a page number no other page here has in its low 8 bits */
#define USER_ALIAS_PAGE 0x40080000UL
#define MSTATUS_MPRV (1UL << 17)
#define MSTATUS_TVM (1UL << 20)
#define MSTATUS_TW (1UL << 21)
#define MSTATUS_TSR (1UL << 22)

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
    /* reserved encodings: the trap value is the instruction's own bits, 16 or 32 of them */
    static const uint32_t reserved32[] = {
        0x0000F003, /* load with funct3 7 */
        0x0000C023, /* store with funct3 4 */
        0x40001033, /* OP with funct7 0x20 and funct3 1 */
        0x0400503B, /* OP-32 with funct7 2 */
        0x0000402F, /* AMO with funct3 4 */
        0x1000302F | 1 << 20, /* lr.d with rs2 != 0 */
        0x00004073, /* SYSTEM funct3 4 */
        0x00200073, /* ECALL/EBREAK space, imm 2 */
        0x0000200F, /* MISC-MEM funct3 2 */
        0x06000053, /* fadd with fmt 3 (Q, absent) */
        0x0000D053, /* fadd.s with rounding mode 5 */
    };
    for (unsigned i = 0; i < sizeof reserved32 / sizeof reserved32[0]; i++) {
        static uint32_t slot[2] __attribute__((aligned(8)));
        slot[0] = reserved32[i];
        slot[1] = 0x00008067;                               /* ret */
        __asm__ volatile("fence.i" ::: "memory");
        uint64_t before = m_traps.count;
        ((void (*)(void))slot)();
        CHECK_EQ(m_traps.count, before + 1);
        CHECK_EQ(m_traps.cause, 2);
        CHECK_EQ(m_traps.tval, reserved32[i]);
    }
    static const uint16_t reserved16[] = {
        0x0000, /* all zeros */
        0x6181, /* c.lui with immediate 0 */
        0x6101, /* c.addi16sp with immediate 0 */
        0x2001, /* c.addiw with rd 0 */
        0x4002, /* c.lwsp with rd 0 */
        0x6002, /* c.ldsp with rd 0 */
        0x8002, /* c.jr with rs1 0 */
        0x9C41, /* c.subw's group with bit 12 and funct2 2 */
        0x8000, /* quadrant 0 funct3 4 */
    };
    for (unsigned i = 0; i < sizeof reserved16 / sizeof reserved16[0]; i++) {
        static uint16_t slot[4] __attribute__((aligned(8)));
        slot[0] = reserved16[i];
        slot[1] = 0x8082;                                   /* c.ret */
        __asm__ volatile("fence.i" ::: "memory");
        uint64_t before = m_traps.count;
        ((void (*)(void))slot)();
        CHECK_EQ(m_traps.count, before + 1);
        CHECK_EQ(m_traps.cause, 2);
        CHECK_EQ(m_traps.tval, reserved16[i]);
    }
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

static void access_faults(void) {
    uint64_t value;
    __asm__ volatile("ld %0, 0(%1)" : "=r"(value) : "r"(UNMAPPED_PHYSICAL));
    CHECK_EQ(m_traps.cause, 5);
    CHECK_EQ(m_traps.tval, UNMAPPED_PHYSICAL);
    __asm__ volatile("sw zero, 4(%0)" :: "r"(UNMAPPED_PHYSICAL));
    CHECK_EQ(m_traps.cause, 7);
    CHECK_EQ(m_traps.tval, UNMAPPED_PHYSICAL + 4);
    ((void (*)(void))UNMAPPED_PHYSICAL)();
    CHECK_EQ(m_traps.cause, 1);
    CHECK_EQ(m_traps.tval, UNMAPPED_PHYSICAL);
    CHECK_EQ(m_traps.epc, UNMAPPED_PHYSICAL);
    __asm__ volatile("amoadd.w %0, %1, (%2)" : "=r"(value) : "r"(1), "r"(UNMAPPED_PHYSICAL) : "memory");
    CHECK(m_traps.cause == 7 || m_traps.cause == 5);  /* QEMU 7.2 reports the AMO's read */
    CHECK_EQ(m_traps.tval, UNMAPPED_PHYSICAL);
}

static void atomic_misaligned(void) {
    static uint64_t words[2];
    uint64_t value, address = (uint64_t)words + 4;
    __asm__ volatile("lr.d %0, (%1)" : "=r"(value) : "r"(address));
    CHECK_EQ(m_traps.cause, 4);
    CHECK_EQ(m_traps.tval, address);
    /* an SC without reservation may fail before its alignment is checked, as QEMU's does */
    uint64_t traps = m_traps.count;
    value = 0;
    __asm__ volatile("sc.d %0, %1, (%2)" : "+r"(value) : "r"(1), "r"(address) : "memory");
    CHECK(m_traps.count == traps + 1 ? m_traps.cause == 6 && m_traps.tval == address : value == 1);
    __asm__ volatile("amoswap.w %0, %1, (%2)" : "=r"(value) : "r"(1), "r"(address - 2) : "memory");
    CHECK(m_traps.cause == 6 || m_traps.cause == 4);  /* QEMU 7.2 reports the AMO's read */
    CHECK_EQ(m_traps.tval, address - 2);
}

static void supervisor_traps_on_tvm_tw_tsr(void) {
    __asm__ volatile("csrr t0, satp" ::: "t0");
    __asm__ volatile("sfence.vma");
    __asm__ volatile("wfi");
    __asm__ volatile("sret");
    __asm__ volatile("ecall");
}

static void user_wfi(void) {
    __asm__ volatile("wfi");
    __asm__ volatile("ecall");
}

/* TVM traps satp and SFENCE.VMA, TW traps WFI and TSR traps SRET, in S-mode; WFI is always illegal in U. */
static void trap_virtual_memory_wait_sret(void) {
    CSR_SET(mstatus, MSTATUS_TVM | MSTATUS_TW | MSTATUS_TSR);
    m_traps.count = 0;
    run_in_mode(1, supervisor_traps_on_tvm_tw_tsr);
    CHECK_EQ(m_traps.count, 4);
    CHECK_EQ(m_traps.cause, 2);
    CHECK_EQ(m_traps.tval, 0x10200073);
    CSR_CLEAR(mstatus, MSTATUS_TVM | MSTATUS_TW | MSTATUS_TSR);
    m_traps.count = 0;
    run_in_mode(0, user_wfi);
    CHECK_EQ(m_traps.count, 1);
    CHECK_EQ(m_traps.tval, 0x10500073);
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

/* SUM is checked at every access, whatever translations the hart cached while it had the other value: no
   SFENCE.VMA between the changes here, and USER_ALIAS_PAGE shares no TLB slot with this code or its data. */
static void supervisor_paged(void) {
    observed = *(volatile uint64_t *)USER_PAGE;
    CSR_SET(sstatus, SUM);
    observed = *(volatile uint64_t *)USER_PAGE;
    *(volatile uint64_t *)(USER_ALIAS_PAGE + 16) = 7;
    CSR_CLEAR(sstatus, SUM);
    (void)*(volatile uint64_t *)USER_ALIAS_PAGE;
    *(volatile uint64_t *)(USER_ALIAS_PAGE + 24) = 9;
    CSR_SET(sstatus, SUM);
    *(volatile uint64_t *)(USER_ALIAS_PAGE + 24) = *(volatile uint64_t *)(USER_ALIAS_PAGE + 16) + 1;
    CSR_CLEAR(sstatus, SUM);
    *(volatile uint64_t *)(USER_ALIAS_PAGE + 16) = 10;
    observed = *(volatile uint64_t *)EXEC_ONLY_PAGE;
    CSR_SET(sstatus, MXR);
    observed = *(volatile uint64_t *)EXEC_ONLY_PAGE;
    CSR_CLEAR(sstatus, MXR);
    (void)*(volatile uint64_t *)FRESH_PAGE;
    *(volatile uint64_t *)(FRESH_PAGE + 8) = 5;
    (void)*(volatile uint64_t *)(FRESH_PAGE + 0x1000);
    __asm__ volatile("ecall");
}

static volatile uint64_t step;

/* Page faults of each access type, with the faulting virtual address as tval. */
static void supervisor_faults(void) {
    step = 1;
    *(volatile uint64_t *)READ_ONLY_PAGE = 1;                 /* store to a read-only page */
    step = 2;
    ((void (*)(void))FRESH_PAGE)();                          /* fetch from a page without X */
    step = 3;
    ((void (*)(void))USER_CODE_PAGE)();                      /* S never executes user pages */
    step = 4;
    (void)*(volatile uint64_t *)(DEVICE_HOLE_PAGE + 16);      /* maps an unmapped physical address */
    step = 5;
    (void)*(volatile uint64_t *)0x4000000000UL;               /* beyond Sv39: not canonical */
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
    level0[6] = (UNMAPPED_PHYSICAL >> 12) << 10 | PTE_V | PTE_R | PTE_W | PTE_A | PTE_D;
    level0[4] = ((uint64_t)pages[3] >> 12) << 10 | PTE_V | PTE_R | PTE_A;
    level0[5] = ((uint64_t)user_code >> 12) << 10 | PTE_V | PTE_R | PTE_X | PTE_U | PTE_A;
    level0[0x80] = level0[0];
    CSR_WRITE(satp, (8UL << 60) | ((uint64_t)root >> 12));
    CHECK_EQ(CSR_READ(satp) >> 60, 8);
    __asm__ volatile("sfence.vma");
    m_traps.count = 0;
    run_in_mode(1, supervisor_paged);
    CHECK_EQ(m_traps.count, 6);
    CHECK_EQ(observed, 0x2222);
    CHECK_EQ(pages[0][2], 7);
    CHECK_EQ(pages[0][3], 8);
    CHECK(level0[2] & PTE_A);
    CHECK(level0[2] & PTE_D);
    CHECK_EQ(m_traps.cause, 13);
    CHECK_EQ(m_traps.tval, FRESH_PAGE + 0x1000);
    m_traps.count = 0;
    run_in_mode(1, supervisor_faults);
    CHECK_EQ(m_traps.count, 5);
    CHECK_EQ(m_traps.cause, 13);
    CHECK_EQ(m_traps.tval, 0x4000000000UL);
    CHECK_EQ(step, 5);
    m_traps.count = 0;
    run_in_mode(0, (void (*)(void))USER_CODE_PAGE);
    CHECK_EQ(pages[0][1], 0x1111);
    CHECK_EQ(m_traps.count, 1);
    CHECK_EQ(m_traps.cause, 12);
    CHECK_EQ(m_traps.tval, EXEC_ONLY_PAGE);
    /* MPRV: M-mode loads and stores translate as in MPP's mode, fetches do not */
    CSR_SET(mstatus, MSTATUS_MPRV | SUM);
    CSR_CLEAR(mstatus, 3UL << 11);
    CSR_SET(mstatus, 1UL << 11);
    uint64_t through_mprv = *(volatile uint64_t *)USER_PAGE;
    CSR_CLEAR(mstatus, MSTATUS_MPRV | SUM);
    CSR_SET(mstatus, 3UL << 11);
    CHECK_EQ(through_mprv, 0x1111);
    CSR_WRITE(satp, 0);
    CHECK_EQ(pages[2][1], 5);
}

/* SFENCE.VMA with an address drops the translation of the whole leaf that maps it: a 4 KiB page, and every
   4 KiB part of a 2 MiB superpage. */
#define SUPERPAGE 0x40200000UL
#define SUPERPAGE_FIRST 0x80800000UL
#define SUPERPAGE_SECOND 0x80A00000UL
/* Two 4 KiB parts of the superpage whose TLB slots nothing else here uses. */
#define PART 0x80000UL
static volatile uint64_t remapped[4];

static void supervisor_remaps(void) {
    (void)*(volatile uint64_t *)FRESH_PAGE;
    (void)*(volatile uint64_t *)(SUPERPAGE + PART);
    (void)*(volatile uint64_t *)(SUPERPAGE + PART + 0x1000);
    level0[2] = ((uint64_t)pages[3] >> 12) << 10 | PTE_V | PTE_R | PTE_W | PTE_A | PTE_D;
    level1[1] = (SUPERPAGE_SECOND >> 12) << 10 | PTE_V | PTE_R | PTE_W | PTE_A | PTE_D;
    __asm__ volatile("sfence.vma %0, zero" :: "r"(FRESH_PAGE) : "memory");
    __asm__ volatile("sfence.vma %0, zero" :: "r"(SUPERPAGE + PART + 0x1000) : "memory");
    remapped[0] = *(volatile uint64_t *)FRESH_PAGE;
    remapped[1] = *(volatile uint64_t *)(SUPERPAGE + PART);
    remapped[2] = *(volatile uint64_t *)(SUPERPAGE + PART + 0x1000);
    __asm__ volatile("ecall");
}

static void remapping(void) {
    *(volatile uint64_t *)(SUPERPAGE_FIRST + PART) = 0xA0;
    *(volatile uint64_t *)(SUPERPAGE_FIRST + PART + 0x1000) = 0xA1;
    *(volatile uint64_t *)(SUPERPAGE_SECOND + PART) = 0xB0;
    *(volatile uint64_t *)(SUPERPAGE_SECOND + PART + 0x1000) = 0xB1;
    pages[3][0] = 0x3333;
    level1[1] = (SUPERPAGE_FIRST >> 12) << 10 | PTE_V | PTE_R | PTE_W | PTE_A | PTE_D;
    CSR_WRITE(satp, (8UL << 60) | ((uint64_t)root >> 12));
    __asm__ volatile("sfence.vma");
    m_traps.count = 0;
    run_in_mode(1, supervisor_remaps);
    CSR_WRITE(satp, 0);
    __asm__ volatile("sfence.vma");
    CHECK_EQ(m_traps.count, 0);
    CHECK_EQ(remapped[0], 0x3333);
    CHECK_EQ(remapped[1], 0xB0);
    CHECK_EQ(remapped[2], 0xB1);
}

/* Sv48: a four-level walk reaches a virtual address Sv39 cannot express. */
static uint64_t root48[512] __attribute__((aligned(4096)));
static uint64_t level2_48[512] __attribute__((aligned(4096)));
static uint64_t level1_48[512] __attribute__((aligned(4096)));
static uint64_t level0_48[512] __attribute__((aligned(4096)));
#define HIGH_PAGE 0x4000000000UL  /* 256 GiB: index 0 at level 3, 256 at level 2 */

static volatile uint64_t high_value;

static void supervisor_sv48(void) {
    high_value = *(volatile uint64_t *)HIGH_PAGE;
    *(volatile uint64_t *)(HIGH_PAGE + 8) = 0x4848;
    __asm__ volatile("ecall");
}

static void sv48(void) {
    root48[0] = ((uint64_t)level2_48 >> 12) << 10 | PTE_V;
    level2_48[2] = (0x80000000UL >> 12) << 10 | PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D;
    level2_48[256] = ((uint64_t)level1_48 >> 12) << 10 | PTE_V;
    level1_48[0] = ((uint64_t)level0_48 >> 12) << 10 | PTE_V;
    level0_48[0] = ((uint64_t)pages[3] >> 12) << 10 | PTE_V | PTE_R | PTE_W;
    pages[3][0] = 0x4444;
    CSR_WRITE(satp, (9UL << 60) | ((uint64_t)root48 >> 12));
    CHECK_EQ(CSR_READ(satp) >> 60, 9);
    __asm__ volatile("sfence.vma");
    m_traps.count = 0;
    run_in_mode(1, supervisor_sv48);
    CSR_WRITE(satp, 0);
    __asm__ volatile("sfence.vma");
    CHECK_EQ(m_traps.count, 0);
    CHECK_EQ(high_value, 0x4444);
    CHECK_EQ(pages[3][1], 0x4848);
    CHECK(level0_48[0] & PTE_A);
    CHECK(level0_48[0] & PTE_D);
}

int main(void) {
    exceptions();
    access_faults();
    atomic_misaligned();
    trap_virtual_memory_wait_sret();
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
    remapping();
    sv48();
    finish();
}
