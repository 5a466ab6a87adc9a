/* Board addresses of QEMU's virt machine and small helpers shared by the device test guests. */
#ifndef DEVICES_H
#define DEVICES_H
#include <stdint.h>
#include "guest.h"

#define REG32(addr) (*(volatile uint32_t *)(uintptr_t)(addr))
#define REG64(addr) (*(volatile uint64_t *)(uintptr_t)(addr))
#define REG8(addr) (*(volatile uint8_t *)(uintptr_t)(addr))

#define CLINT_MSIP(hart) (0x2000000UL + 4 * (hart))
#define CLINT_MTIMECMP(hart) (0x2004000UL + 8 * (hart))
#define CLINT_MTIME 0x200bff8UL

#define PLIC_PRIORITY(src) (0xc000000UL + 4 * (src))
#define PLIC_PENDING(src) (0xc001000UL + 4 * ((src) / 32))
#define PLIC_ENABLE(ctx, src) (0xc002000UL + 0x80 * (ctx) + 4 * ((src) / 32))
#define PLIC_THRESHOLD(ctx) (0xc200000UL + 0x1000 * (ctx))
#define PLIC_CLAIM(ctx) (0xc200004UL + 0x1000 * (ctx))

#define UART0 0x10000000UL
#define UART_IRQ 10
#define RTC 0x101000UL
#define RTC_IRQ 11

#define MIE_MSIE (1UL << 3)
#define MIE_MTIE (1UL << 7)
#define MIE_MEIE (1UL << 11)
#define MSTATUS_MIE (1UL << 3)
#define MCAUSE_INTERRUPT (1UL << 63)

/* Installs the interrupt vector: interrupts go to handle_interrupt(cause), exceptions still fail the guest. */
void interrupts_init(void);
void handle_interrupt(uint64_t cause);

static inline void csr_set_mie(uint64_t bits) { __asm__ volatile("csrs mie, %0" ::"r"(bits)); }
static inline void csr_clear_mie(uint64_t bits) { __asm__ volatile("csrc mie, %0" ::"r"(bits)); }
static inline void interrupts_on(void) { __asm__ volatile("csrs mstatus, %0" ::"r"(MSTATUS_MIE)); }
static inline void interrupts_off(void) { __asm__ volatile("csrc mstatus, %0" ::"r"(MSTATUS_MIE)); }
static inline void wfi(void) { __asm__ volatile("wfi"); }
static inline void fence(void) { __asm__ volatile("fence rw, rw" ::: "memory"); }

void print_dec(uint64_t v);
void print_bytes(const uint8_t *bytes, int length);
int bytes_equal(const void *a, const void *b, int length);
void bytes_copy(void *to, const void *from, int length);
void bytes_fill(void *to, uint8_t value, int length);
void fail(const char *why) __attribute__((noreturn));

#endif
