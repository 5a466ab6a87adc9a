/* Sstc and the environment configuration CSRs: menvcfg and senvcfg keep the bits QEMU 7.2 keeps; stimecmp is
   reached from S-mode only with menvcfg.STCE and mcounteren.TM; while STCE is set, mip.STIP is time >= stimecmp
   and software cannot write it; the supervisor timer interrupt comes on time, also to a hart sleeping in WFI, and
   is taken in S-mode when delegated. */
#include "check.h"

#define STCE (1UL << 63)
#define PBMTE (1UL << 62)
#define TM (1UL << 1)
#define STI 5
#define STIP (1UL << STI)
#define MSTATUS_SIE (1UL << 1)
#define MSTATUS_MIE (1UL << 3)
/* One millisecond at the board's 10 MHz timebase, and a deadline no run reaches. */
#define SOON 10000
#define FAR_AWAY (1UL << 62)

static uint64_t now(void) {
    return CSR_READ(time);
}

static uint64_t timer_pending(void) {
    return CSR_READ(mip) & STIP;
}

/* FIOM and the cache-block fields read back in both, PBMTE and STCE in menvcfg only; nothing else sticks. */
static void environment_configuration(void) {
    CSR_WRITE(menvcfg, -1UL);
    CHECK_EQ(CSR_READ(menvcfg), STCE | PBMTE | 0xF1);
    CSR_WRITE(menvcfg, 0x20);
    CHECK_EQ(CSR_READ(menvcfg), 0x20);
    CSR_WRITE(menvcfg, 0);
    CSR_WRITE(senvcfg, -1UL);
    CHECK_EQ(CSR_READ(senvcfg), 0xF1);
    CSR_WRITE(senvcfg, 0);
    CHECK_EQ(CSR_READ(senvcfg), 0);
}

static volatile uint64_t supervisor_saw;

static void supervisor_reads_stimecmp(void) {
    supervisor_saw = CSR_READ(stimecmp);
    __asm__ volatile("ecall");
}

/* Below M-mode, stimecmp needs STCE and TM both; U-mode never reaches it; M-mode always does. */
static void access_needs_stce_and_tm(void) {
    static const struct {
        uint64_t envcfg, counteren, traps;
    } cases[] = {{0, 0, 1}, {0, TM, 1}, {STCE, 0, 1}, {STCE, TM, 0}};
    CSR_WRITE(stimecmp, FAR_AWAY);
    for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        CSR_WRITE(menvcfg, cases[i].envcfg);
        CSR_WRITE(mcounteren, cases[i].counteren);
        m_traps.count = 0;
        supervisor_saw = 0;
        run_in_mode(1, supervisor_reads_stimecmp);
        CHECK_EQ(m_traps.count, cases[i].traps);
        if (cases[i].traps) {
            CHECK_EQ(m_traps.cause, 2);
        } else {
            CHECK_EQ(supervisor_saw, FAR_AWAY);
        }
        m_traps.count = 0;
        run_in_mode(0, supervisor_reads_stimecmp);
        CHECK_EQ(m_traps.count, 1);
        CHECK_EQ(m_traps.cause, 2);
    }
    CSR_WRITE(menvcfg, 0);
    CSR_WRITE(stimecmp, 5);
    CHECK_EQ(CSR_READ(stimecmp), 5);
    CSR_WRITE(stimecmp, FAR_AWAY);
}

/* With STCE, STIP is the compare: set by a deadline passed, cleared by one to come, deaf to mip writes. */
static void pending_follows_the_compare(void) {
    CSR_CLEAR(mstatus, MSTATUS_MIE);  /* run_in_mode's returns leave it set */
    CSR_WRITE(menvcfg, STCE);
    CSR_WRITE(stimecmp, FAR_AWAY);
    CHECK_EQ(timer_pending(), 0);
    CSR_SET(mip, STIP);
    CHECK_EQ(timer_pending(), 0);
    CSR_WRITE(stimecmp, 0);
    CHECK_EQ(timer_pending(), STIP);
    CSR_CLEAR(mip, STIP);
    CHECK_EQ(timer_pending(), STIP);
    CSR_WRITE(stimecmp, now() + FAR_AWAY);
    CHECK_EQ(timer_pending(), 0);
    /* the deadline passes while the hart sleeps: WFI wakes on STIP enabled in mie, mstatus.MIE clear */
    uint64_t deadline = now() + SOON;
    CSR_WRITE(stimecmp, deadline);
    CSR_SET(mie, STIP);
    while (!timer_pending()) {
        __asm__ volatile("wfi");
    }
    CSR_CLEAR(mie, STIP);
    CHECK(now() >= deadline);
    CHECK_EQ(m_interrupts.count, 0);
    CSR_WRITE(stimecmp, FAR_AWAY);
    CHECK_EQ(timer_pending(), 0);
    /* without STCE, M-mode software owns STIP again */
    CSR_WRITE(menvcfg, 0);
    CSR_SET(mip, STIP);
    CHECK_EQ(timer_pending(), STIP);
    CSR_CLEAR(mip, STIP);
    CHECK_EQ(timer_pending(), 0);
}

static volatile uint64_t woke_after_deadline, pending_after_rearm, sip_write_ignored;

/* S-mode programs its own timer, sleeps until it fires, takes the interrupt, then pushes the deadline away. */
static void supervisor_timer(void) {
    uint64_t deadline = now() + SOON;
    CSR_WRITE(stimecmp, deadline);
    while (!(CSR_READ(sip) & STIP)) {
        __asm__ volatile("wfi");
    }
    woke_after_deadline = now() >= deadline;
    CSR_SET(sstatus, MSTATUS_SIE);
    __asm__ volatile("nop");
    CSR_CLEAR(sstatus, MSTATUS_SIE);
    CSR_CLEAR(sip, STIP);
    sip_write_ignored = CSR_READ(sip) & STIP;
    CSR_WRITE(stimecmp, -1UL);
    pending_after_rearm = CSR_READ(sip) & STIP;
    __asm__ volatile("ecall");
}

extern char s_trap_vector[];

static void delegated_to_supervisor(void) {
    CSR_WRITE(menvcfg, STCE);
    CSR_WRITE(mcounteren, TM);
    CSR_WRITE(stvec, (uint64_t)s_trap_vector);
    CSR_WRITE(mideleg, STIP);
    CSR_SET(mie, STIP);
    s_interrupts.count = 0;
    m_interrupts.count = 0;
    m_traps.count = 0;
    run_in_mode(1, supervisor_timer);
    CHECK_EQ(m_traps.count, 0);
    CHECK_EQ(m_interrupts.count, 0);
    CHECK_EQ(s_interrupts.count, 1);
    CHECK_EQ(s_interrupts.cause, INTERRUPT | STI);
    CHECK(woke_after_deadline);
    CHECK_EQ(sip_write_ignored, STIP);
    CHECK_EQ(pending_after_rearm, 0);
    CHECK_EQ(CSR_READ(stimecmp), -1UL);
    CSR_WRITE(mideleg, 0);
    CSR_WRITE(menvcfg, 0);
}

int main(void) {
    environment_configuration();
    access_needs_stce_and_tm();
    pending_follows_the_compare();
    delegated_to_supervisor();
    finish();
}
