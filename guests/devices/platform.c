/* CLINT timer and software interrupts, the goldfish RTC's clock and its alarm interrupt through the PLIC. */
#include "devices.h"

#define RTC_TIME_LOW 0x00
#define RTC_TIME_HIGH 0x04
#define RTC_ALARM_LOW 0x08
#define RTC_ALARM_HIGH 0x0c
#define RTC_IRQ_ENABLED 0x10
#define RTC_CLEAR_INTERRUPT 0x1c
/* 2020-01-01 in nanoseconds since the epoch: the host's clock is later than that. */
#define YEAR_2020_NS 1577836800000000000ULL

static volatile int timer_interrupts;
static volatile int software_interrupts;
static volatile int rtc_interrupts;

void handle_interrupt(uint64_t cause) {
    switch (cause & ~MCAUSE_INTERRUPT) {
    case 7:
        REG64(CLINT_MTIMECMP(0)) = ~0ULL;
        timer_interrupts++;
        break;
    case 3:
        REG32(CLINT_MSIP(0)) = 0;
        software_interrupts++;
        break;
    case 11: {
        uint32_t source = REG32(PLIC_CLAIM(0));
        if (source != RTC_IRQ) {
            fail("claimed a source other than the RTC");
        }
        REG32(RTC + RTC_CLEAR_INTERRUPT) = 1;
        rtc_interrupts++;
        REG32(PLIC_CLAIM(0)) = source;
        break;
    }
    default:
        fail("unexpected interrupt");
    }
}

static void await(volatile int *counter) {
    while (!*counter) {
        interrupts_off();
        if (!*counter) {
            wfi();
        }
        interrupts_on();
    }
    interrupts_off();
}

static uint64_t rtc_now(void) {
    uint64_t low = REG32(RTC + RTC_TIME_LOW);
    return (uint64_t)REG32(RTC + RTC_TIME_HIGH) << 32 | low;
}

int main(void) {
    interrupts_init();

    uint64_t now = rtc_now();
    if (now < YEAR_2020_NS) {
        fail("rtc time is before 2020");
    }
    uart_puts("rtc seconds since the epoch: ");
    print_dec(now / 1000000000ULL);
    uart_puts("\n");

    uint64_t start = REG64(CLINT_MTIME);
    REG64(CLINT_MTIMECMP(0)) = start + 20000;
    csr_set_mie(MIE_MTIE);
    await(&timer_interrupts);
    if (REG64(CLINT_MTIME) < start + 20000) {
        fail("timer interrupt before mtimecmp");
    }
    uart_puts("timer interrupt ok\n");

    csr_set_mie(MIE_MSIE);
    REG32(CLINT_MSIP(0)) = 1;
    await(&software_interrupts);
    if (REG32(CLINT_MSIP(0)) != 0) {
        fail("msip still set");
    }
    uart_puts("software interrupt ok\n");

    REG32(PLIC_PRIORITY(RTC_IRQ)) = 1;
    REG32(PLIC_ENABLE(0, RTC_IRQ)) = 1u << RTC_IRQ;
    REG32(PLIC_THRESHOLD(0)) = 0;
    csr_set_mie(MIE_MEIE);
    uint64_t alarm = rtc_now() + 2000000;
    REG32(RTC + RTC_ALARM_HIGH) = (uint32_t)(alarm >> 32);
    REG32(RTC + RTC_ALARM_LOW) = (uint32_t)alarm;
    REG32(RTC + RTC_IRQ_ENABLED) = 1;
    await(&rtc_interrupts);
    if (rtc_now() < alarm) {
        fail("rtc alarm before its time");
    }
    uart_puts("rtc alarm interrupt ok\n");
    return 0;
}
