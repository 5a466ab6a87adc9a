/* RV64I, M and C (int.S), Zicsr, Zicntr and Zifencei: every instruction with its architectural result. */
#include "check.h"

uint64_t integer_tests(void);
void compressed_ebreak(void);
extern uint64_t failed_line;

static void csr_instructions(void) {
    uint64_t old;
    CSR_WRITE(mscratch, 0xF0);
    __asm__ volatile("csrrw %0, mscratch, %1" : "=r"(old) : "r"(0x0FUL));
    CHECK_EQ(old, 0xF0);
    __asm__ volatile("csrrs %0, mscratch, %1" : "=r"(old) : "r"(0x30UL));
    CHECK_EQ(old, 0x0F);
    __asm__ volatile("csrrc %0, mscratch, %1" : "=r"(old) : "r"(0x03UL));
    CHECK_EQ(old, 0x3F);
    __asm__ volatile("csrrwi %0, mscratch, 17" : "=r"(old));
    CHECK_EQ(old, 0x3C);
    __asm__ volatile("csrrsi %0, mscratch, 8" : "=r"(old));
    CHECK_EQ(old, 17);
    __asm__ volatile("csrrci %0, mscratch, 1" : "=r"(old));
    CHECK_EQ(old, 25);
    CHECK_EQ(CSR_READ(mscratch), 24);
    /* csrrs/csrrc with x0 and csrrsi/csrrci with 0 do not write: legal on read-only CSRs */
    __asm__ volatile("csrrs %0, mhartid, zero" : "=r"(old));
    CHECK_EQ(old, 0);
    __asm__ volatile("csrrci %0, mvendorid, 0" : "=r"(old));
    uint64_t traps = m_traps.count;
    __asm__ volatile("csrrwi zero, mhartid, 1");
    CHECK_EQ(m_traps.count, traps + 1);
    CHECK_EQ(m_traps.cause, 2);
    CHECK_EQ(m_traps.tval, 0xF140D073);
    /* misa reports RV64 with at least I, M, A, F, D, C, S, U */
    uint64_t misa = CSR_READ(misa);
    CHECK_EQ(misa >> 62, 2);
    uint64_t extensions = 1 << 0 | 1 << 2 | 1 << 3 | 1 << 5 | 1 << 8 | 1 << 12 | 1 << 18 | 1 << 20;
    CHECK_EQ(misa & extensions, extensions);
}

static volatile uint64_t user_counters[3];

static void user_reads_counters(void) {
    user_counters[0] = CSR_READ(cycle);
    user_counters[1] = CSR_READ(time);
    user_counters[2] = CSR_READ(instret);
    __asm__ volatile("ecall");
}

static void counters(void) {
    uint64_t cycle0 = CSR_READ(cycle), instret0 = CSR_READ(instret), time0 = CSR_READ(time);
    for (volatile int i = 0; i < 1000; i++) {
    }
    CHECK(CSR_READ(cycle) > cycle0);
    CHECK(CSR_READ(instret) > instret0);
    CHECK(CSR_READ(time) >= time0);
    CHECK(CSR_READ(mcycle) >= cycle0);
    CHECK(CSR_READ(minstret) >= instret0);
    /* minstret is writable */
    CSR_WRITE(minstret, 0);
    CHECK(CSR_READ(minstret) < instret0);
    /* below M-mode a counter needs its mcounteren bit (and scounteren in U) */
    CSR_WRITE(mcounteren, 0);
    uint64_t traps = m_traps.count;
    run_in_mode(1, user_reads_counters);
    CHECK_EQ(m_traps.count, traps + 3);
    CHECK_EQ(m_traps.cause, 2);
    CHECK_EQ(m_traps.tval & 0xFFFFF07F, 0xC0202073);
    CSR_WRITE(mcounteren, 7);
    CSR_WRITE(scounteren, 5);
    traps = m_traps.count;
    run_in_mode(0, user_reads_counters);
    CHECK_EQ(m_traps.count, traps + 1);
    CHECK_EQ((m_traps.tval >> 20) & 0xFFF, 0xC01);
    CSR_WRITE(scounteren, 7);
    user_counters[1] = 0;
    run_in_mode(0, user_reads_counters);
    CHECK_EQ(m_traps.count, traps + 1);
    CHECK(user_counters[0] != 0 && user_counters[1] != 0 && user_counters[2] != 0);
}

/* Code written at run time: "li a0, N; ret", patched and re-run after FENCE.I, also once it is hot. */
static uint32_t patchable[2] __attribute__((aligned(8)));

static uint32_t li_a0(int n) {
    return (uint32_t)n << 20 | 10 << 7 | 0x13;
}

static void self_modifying_code(void) {
    uint64_t (*function)(void) = (uint64_t (*)(void))patchable;
    patchable[0] = li_a0(1);
    patchable[1] = 0x00008067;
    __asm__ volatile("fence.i" ::: "memory");
    CHECK_EQ(function(), 1);
    for (int round = 2; round < 200; round++) {
        patchable[0] = li_a0(round);
        __asm__ volatile("fence.i" ::: "memory");
        uint64_t result = function();
        if (result != (uint64_t)round) {
            CHECK_EQ(result, round);
            break;
        }
    }
}

int main(void) {
    uint64_t failures = integer_tests();
    if (failures != 0) {
        uart_puts("int.S check failed at line ");
        uart_puthex(failed_line);
        uart_puts("\n");
    }
    CHECK_EQ(failures, 0);
    uint64_t traps = m_traps.count;
    compressed_ebreak();
    CHECK_EQ(m_traps.count, traps + 1);
    CHECK_EQ(m_traps.cause, 3);
    CHECK_EQ(*(volatile uint16_t *)m_traps.epc, 0x9002);
    csr_instructions();
    counters();
    self_modifying_code();
    finish();
}
