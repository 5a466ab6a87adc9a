/* A: every AMO in W and D width with its old value and memory result (word results sign-extended), LR/SC
   success and failure, and the ordering bits. isa-smp checks atomicity across harts. */
#include "check.h"

#define AMO(insn, address, operand) ({ uint64_t old_; \
    __asm__ volatile(insn " %0, %2, (%1)" : "=r"(old_) : "r"(address), "r"((uint64_t)(operand)) : "memory"); old_; })

static volatile uint64_t dword;
static volatile uint32_t words[2];

#define CHECK_AMO_D(insn, initial, operand, result) do { \
    dword = (initial); \
    CHECK_EQ(AMO(insn, &dword, operand), (uint64_t)(initial)); \
    CHECK_EQ(dword, (uint64_t)(result)); \
} while (0)

#define CHECK_AMO_W(insn, initial, operand, result) do { \
    words[0] = (initial); words[1] = 0x5A5A5A5A; \
    CHECK_EQ(AMO(insn, &words[0], operand), (uint64_t)(int64_t)(int32_t)(initial)); \
    CHECK_EQ(words[0], (uint32_t)(result)); \
    CHECK_EQ(words[1], 0x5A5A5A5A); \
} while (0)

static void amos(void) {
    CHECK_AMO_D("amoswap.d", 0x1111222233334444, 0x5555, 0x5555);
    CHECK_AMO_D("amoadd.d", 0xFFFFFFFFFFFFFFFF, 2, 1);
    CHECK_AMO_D("amoxor.d", 0xFF00, 0x0FF0, 0xF0F0);
    CHECK_AMO_D("amoand.d", 0xFF00, 0x0FF0, 0x0F00);
    CHECK_AMO_D("amoor.d", 0xFF00, 0x0FF0, 0xFFF0);
    CHECK_AMO_D("amomin.d", -5, 3, -5);
    CHECK_AMO_D("amomax.d", -5, 3, 3);
    CHECK_AMO_D("amominu.d", -5, 3, 3);
    CHECK_AMO_D("amomaxu.d", -5, 3, -5);
    CHECK_AMO_D("amoadd.d.aq", 1, 1, 2);
    CHECK_AMO_D("amoadd.d.rl", 1, 1, 2);
    CHECK_AMO_D("amoadd.d.aqrl", 1, 1, 2);
    CHECK_AMO_W("amoswap.w", 0x80000000, 0x1234, 0x1234);
    CHECK_AMO_W("amoadd.w", 0x7FFFFFFF, 1, 0x80000000);
    CHECK_AMO_W("amoxor.w", 0xFFFF0000, 0xFFFFFFFF0000FFFF, 0xFFFFFFFF);
    CHECK_AMO_W("amoand.w", 0xF0F0F0F0, 0xFF00FF00, 0xF000F000);
    CHECK_AMO_W("amoor.w", 0xF0F0F0F0, 0x0F, 0xF0F0F0FF);
    CHECK_AMO_W("amomin.w", 0x80000000, 1, 0x80000000);     /* INT32_MIN < 1 */
    CHECK_AMO_W("amomax.w", 0x80000000, 1, 1);
    CHECK_AMO_W("amominu.w", 0x80000000, 1, 1);
    CHECK_AMO_W("amomaxu.w", 0x80000000, 1, 0x80000000);
    CHECK_AMO_W("amomin.w", 5, 0x1FFFFFFFF, 0xFFFFFFFF);     /* only the operand's low word counts: -1 */
    CHECK_AMO_W("amoswap.w.aqrl", 7, 8, 8);
    uint64_t discarded;
    dword = 10;
    __asm__ volatile("amoadd.d zero, %1, (%0)" :: "r"(&dword), "r"(5UL) : "memory");
    CHECK_EQ(dword, 15);
    (void)discarded;
}

static void lr_sc(void) {
    uint64_t value, failed;
    dword = 41;
    __asm__ volatile("lr.d %0, (%1)" : "=r"(value) : "r"(&dword) : "memory");
    CHECK_EQ(value, 41);
    __asm__ volatile("sc.d %0, %2, (%1)" : "=r"(failed) : "r"(&dword), "r"(value + 1) : "memory");
    CHECK_EQ(failed, 0);
    CHECK_EQ(dword, 42);
    /* the reservation is spent: a second SC fails and stores nothing */
    __asm__ volatile("sc.d %0, %2, (%1)" : "=r"(failed) : "r"(&dword), "r"(99UL) : "memory");
    CHECK(failed != 0);
    CHECK_EQ(dword, 42);
    /* an SC to another address than the LR's fails */
    words[0] = 0x80000001;
    __asm__ volatile("lr.w.aq %0, (%1)" : "=r"(value) : "r"(&words[0]) : "memory");
    CHECK_EQ(value, 0xFFFFFFFF80000001);
    __asm__ volatile("sc.w %0, %2, (%1)" : "=r"(failed) : "r"(&words[1]), "r"(7UL) : "memory");
    CHECK(failed != 0);
    /* a word LR/SC pair */
    __asm__ volatile("lr.w %0, (%1)" : "=r"(value) : "r"(&words[0]) : "memory");
    __asm__ volatile("sc.w.rl %0, %2, (%1)" : "=r"(failed) : "r"(&words[0]), "r"(0x12345678UL) : "memory");
    CHECK_EQ(failed, 0);
    CHECK_EQ(words[0], 0x12345678);
    /* a trap between LR and SC clears the reservation */
    __asm__ volatile("lr.d %0, (%1)" : "=r"(value) : "r"(&dword) : "memory");
    __asm__ volatile("ebreak");
    __asm__ volatile("sc.d %0, %2, (%1)" : "=r"(failed) : "r"(&dword), "r"(1UL) : "memory");
    CHECK(failed != 0);
    CHECK_EQ(dword, 42);
}

int main(void) {
    amos();
    lr_sc();
    finish();
}
