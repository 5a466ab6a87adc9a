/* Interrupts: CLINT software and timer interrupts, WFI wake-up, global enables per mode, vectored trap vectors
   in M and S, delegation of supervisor interrupts through mideleg, and interrupt priority. */
#include "check.h"

#define CLINT_MSIP ((volatile uint32_t *)0x2000000UL)
#define CLINT_MTIMECMP ((volatile uint64_t *)0x2004000UL)
#define CLINT_MTIME ((volatile uint64_t *)0x200BFF8UL)
#define MSTATUS_MIE (1UL << 3)
#define MSTATUS_SIE (1UL << 1)
#define SSI 1
#define MSI 3
#define STI 5
#define MTI 7

extern char m_vector_table[], s_vector_table[], m_trap_vector[], s_trap_vector[];

/* "Writes to mtimecmp are guaranteed to be reflected in MTIP eventually, but not necessarily immediately." */
static int timer_pending_becomes(int pending) {
    for (int i = 0; i < 1000000; i++) {
        if (((CSR_READ(mip) >> MTI) & 1) == (uint64_t)pending) {
            return 1;
        }
    }
    return 0;
}

static void software_interrupt(void) {
    m_interrupts.count = 0;
    CSR_SET(mie, 1UL << MSI);
    *CLINT_MSIP = 1;
    CHECK(CSR_READ(mip) & (1UL << MSI));
    CHECK_EQ(m_interrupts.count, 0);        /* mstatus.MIE is clear: pending but not taken */
    CSR_SET(mstatus, MSTATUS_MIE);
    __asm__ volatile("nop");
    CSR_CLEAR(mstatus, MSTATUS_MIE);
    CHECK_EQ(m_interrupts.count, 1);
    CHECK_EQ(m_interrupts.cause, INTERRUPT | MSI);
    CHECK_EQ(m_interrupts.tval, 0);
    CHECK_EQ(CSR_READ(mie) & (1UL << MSI), 0);
    *CLINT_MSIP = 0;
    CHECK_EQ(CSR_READ(mip) & (1UL << MSI), 0);
}

/* WFI wakes on a pending interrupt enabled in mie even with mstatus.MIE clear; the trap comes once enabled. */
static void timer_and_wfi(void) {
    m_interrupts.count = 0;
    *CLINT_MTIMECMP = *CLINT_MTIME + 1000000;          /* 0.1 s at 10 MHz */
    CHECK(timer_pending_becomes(0));
    CSR_SET(mie, 1UL << MTI);
    while (!(CSR_READ(mip) & (1UL << MTI))) {
        __asm__ volatile("wfi");
    }
    CHECK(*CLINT_MTIME >= *CLINT_MTIMECMP);
    CHECK_EQ(m_interrupts.count, 0);
    CSR_SET(mstatus, MSTATUS_MIE);
    __asm__ volatile("nop");
    CSR_CLEAR(mstatus, MSTATUS_MIE);
    CHECK_EQ(m_interrupts.count, 1);
    CHECK_EQ(m_interrupts.cause, INTERRUPT | MTI);
    *CLINT_MTIMECMP = -1UL;
    CHECK(timer_pending_becomes(0));
}

static void vectored(void) {
    CSR_WRITE(mtvec, (uint64_t)m_vector_table | 1);
    CHECK_EQ(CSR_READ(mtvec), (uint64_t)m_vector_table | 1);
    vector_taken = 99;
    m_interrupts.count = 0;
    CSR_SET(mie, 1UL << MSI);
    *CLINT_MSIP = 1;
    CSR_SET(mstatus, MSTATUS_MIE);
    __asm__ volatile("nop");
    CSR_CLEAR(mstatus, MSTATUS_MIE);
    *CLINT_MSIP = 0;
    CHECK_EQ(m_interrupts.count, 1);
    CHECK_EQ(vector_taken, MSI);
    /* exceptions always go to the base */
    vector_taken = 99;
    __asm__ volatile("ebreak");
    CHECK_EQ(m_traps.cause, 3);
    CHECK_EQ(vector_taken, 0);
    CSR_WRITE(mtvec, (uint64_t)m_trap_vector);
}

static volatile uint64_t spins;

static void supervisor_waits(void) {
    CSR_SET(sstatus, MSTATUS_SIE);
    for (spins = 0; spins < 100 && s_interrupts.count == 0; spins++) {
    }
    CSR_CLEAR(sstatus, MSTATUS_SIE);
    __asm__ volatile("ecall");
}

static void supervisor_spins(void) {
    for (spins = 0; spins < 100 && m_interrupts.count == 0; spins++) {
    }
    __asm__ volatile("ecall");
}

static void delegation(void) {
    CSR_WRITE(stvec, (uint64_t)s_vector_table | 1);
    CSR_WRITE(mideleg, (1UL << SSI) | (1UL << STI));
    CHECK_EQ(CSR_READ(mideleg) & 0x222, (1UL << SSI) | (1UL << STI));
    /* a delegated supervisor software interrupt, raised by M through mip, taken in S through the S vector */
    s_interrupts.count = 0;
    m_interrupts.count = 0;
    CSR_SET(mie, 1UL << SSI);
    CSR_SET(mip, 1UL << SSI);
    CHECK_EQ(CSR_READ(sip) & (1UL << SSI), 1UL << SSI);
    vector_taken = 99;
    run_in_mode(1, supervisor_waits);
    CHECK_EQ(s_interrupts.count, 1);
    CHECK_EQ(s_interrupts.cause, INTERRUPT | SSI);
    CHECK_EQ(vector_taken, SSI);
    CHECK_EQ(m_interrupts.count, 0);
    CSR_CLEAR(mip, 1UL << SSI);
    CHECK_EQ(CSR_READ(sip), 0);
    /* the supervisor timer interrupt, pending through mip.STIP as M-mode firmware sets it */
    s_interrupts.count = 0;
    CSR_SET(sie, 1UL << STI);
    CHECK_EQ(CSR_READ(mie) & (1UL << STI), 1UL << STI);
    CSR_SET(mip, 1UL << STI);
    run_in_mode(1, supervisor_waits);
    CHECK_EQ(s_interrupts.count, 1);
    CHECK_EQ(s_interrupts.cause, INTERRUPT | STI);
    CSR_CLEAR(mip, 1UL << STI);
    /* delegated interrupts are never taken in M, whatever mstatus.SIE says */
    CSR_SET(mie, 1UL << SSI);
    CSR_SET(mip, 1UL << SSI);
    CSR_SET(mstatus, MSTATUS_MIE | MSTATUS_SIE);
    __asm__ volatile("nop");
    CSR_CLEAR(mstatus, MSTATUS_MIE | MSTATUS_SIE);
    CHECK_EQ(m_interrupts.count, 0);
    CSR_CLEAR(mip, 1UL << SSI);
    CSR_CLEAR(mie, 1UL << SSI);
    /* M-level interrupts preempt S-mode whatever mstatus.MIE says */
    m_interrupts.count = 0;
    CSR_SET(mie, 1UL << MSI);
    *CLINT_MSIP = 1;
    run_in_mode(1, supervisor_spins);
    *CLINT_MSIP = 0;
    CHECK_EQ(m_interrupts.count, 1);
    CHECK_EQ(m_interrupts.cause, INTERRUPT | MSI);
    CSR_WRITE(mideleg, 0);
    CSR_WRITE(stvec, (uint64_t)s_trap_vector);
}

/* With several interrupts pending, machine external > software > timer. */
static void priority(void) {
    m_interrupts.count = 0;
    *CLINT_MTIMECMP = 0;
    CHECK(timer_pending_becomes(1));
    *CLINT_MSIP = 1;
    CSR_SET(mie, (1UL << MSI) | (1UL << MTI));
    CSR_SET(mstatus, MSTATUS_MIE);
    __asm__ volatile("nop");
    CSR_CLEAR(mstatus, MSTATUS_MIE);
    CHECK_EQ(m_interrupts.count, 2);
    CHECK_EQ(m_interrupts.cause, INTERRUPT | MTI);   /* the software interrupt came first */
    *CLINT_MSIP = 0;
    *CLINT_MTIMECMP = -1UL;
}

int main(void) {
    *CLINT_MTIMECMP = -1UL;
    CHECK(timer_pending_becomes(0));
    software_interrupt();
    timer_and_wfi();
    vectored();
    delegation();
    priority();
    finish();
}
