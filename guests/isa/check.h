/* Shared by the ISA tests: checks that report the failing line, and trap bookkeeping. */
#ifndef CHECK_H
#define CHECK_H
#include <stdint.h>
#include "guest.h"

#define CHECK(cond) check((cond), __LINE__, #cond)
#define CHECK_EQ(actual, expected) check_eq((uint64_t)(actual), (uint64_t)(expected), __LINE__, #actual)

#define CSR_READ(csr) ({ uint64_t v_; __asm__ volatile("csrr %0, " #csr : "=r"(v_)); v_; })
#define CSR_WRITE(csr, v) __asm__ volatile("csrw " #csr ", %0" :: "r"((uint64_t)(v)))
#define CSR_SET(csr, v) __asm__ volatile("csrs " #csr ", %0" :: "r"((uint64_t)(v)))
#define CSR_CLEAR(csr, v) __asm__ volatile("csrc " #csr ", %0" :: "r"((uint64_t)(v)))

/* The last trap taken by m_trap / s_trap (which skip the trapping instruction), and how many. */
struct trap_record {
    uint64_t cause;
    uint64_t tval;
    uint64_t epc;
    uint64_t count;
};
extern volatile struct trap_record m_traps, s_traps;
/* Interrupts taken by m_trap / s_trap, which disable the interrupt's enable bit (mie / sie) so it cannot refire. */
extern volatile struct trap_record m_interrupts, s_interrupts;
/* The entry of m_vector_table / s_vector_table (vectored mode) the last trap went through. */
extern volatile uint64_t vector_taken;
#define INTERRUPT (1UL << 63)
extern volatile uint64_t mode_return_sp;

void check(int ok, int line, const char *what);
void check_eq(uint64_t actual, uint64_t expected, int line, const char *what);
void run_in_mode(uint64_t mode, void (*body)(void));
void finish(void) __attribute__((noreturn));

#endif
