/*
 * Exercises every SBI extension Pogo's built-in firmware offers, from supervisor mode, and checks the results.
 * Run with --bios builtin --smp 2. Prints "sbi: all checks passed" and shuts down with status 0; a failed check
 * prints its name and shuts down with status 1 (SRST with reason "system failure").
 */
#include <stdint.h>

#define EXT_BASE 0x10
#define EXT_TIME 0x54494D45
#define EXT_IPI 0x735049
#define EXT_RFENCE 0x52464E43
#define EXT_HSM 0x48534D
#define EXT_SRST 0x53525354
#define EXT_DBCN 0x4442434E
#define LEGACY_PUTCHAR 0x01
#define LEGACY_GETCHAR 0x02

#define ERR_NOT_SUPPORTED (-2)
#define ERR_INVALID_PARAM (-3)
#define ERR_ALREADY_STARTED (-7)

#define INTERRUPT (1UL << 63)
#define IRQ_S_SOFT 1
#define IRQ_S_TIMER 5
#define SIE_SSIE (1UL << 1)
#define SIE_STIE (1UL << 5)
#define SSTATUS_SIE (1UL << 1)

struct sbiret {
    long error;
    long value;
};

static struct sbiret sbi_call(long ext, long fid, long arg0, long arg1, long arg2, long arg3, long arg4) {
    register long a0 __asm__("a0") = arg0;
    register long a1 __asm__("a1") = arg1;
    register long a2 __asm__("a2") = arg2;
    register long a3 __asm__("a3") = arg3;
    register long a4 __asm__("a4") = arg4;
    register long a6 __asm__("a6") = fid;
    register long a7 __asm__("a7") = ext;
    __asm__ volatile("ecall" : "+r"(a0), "+r"(a1) : "r"(a2), "r"(a3), "r"(a4), "r"(a6), "r"(a7) : "memory");
    return (struct sbiret){a0, a1};
}

static long legacy_call(long ext, long arg0) {
    register long a0 __asm__("a0") = arg0;
    register long a7 __asm__("a7") = ext;
    __asm__ volatile("ecall" : "+r"(a0) : "r"(a7) : "memory");
    return a0;
}

static void puts_dbcn(const char *s) {
    unsigned long length = 0;
    while (s[length]) {
        length++;
    }
    while (length > 0) {
        struct sbiret written = sbi_call(EXT_DBCN, 0, (long)length, (long)(uintptr_t)s, 0, 0, 0);
        if (written.error != 0) {
            break;
        }
        s += written.value;
        length -= (unsigned long)written.value;
    }
}

static void shutdown(long reason) {
    sbi_call(EXT_SRST, 0, 0, reason, 0, 0, 0);
    for (;;) {
    }
}

static int failures;

static void check(int ok, const char *what) {
    if (!ok) {
        puts_dbcn("sbi: FAILED ");
        puts_dbcn(what);
        puts_dbcn("\n");
        failures++;
    }
}

static volatile int timer_interrupts;
static volatile int software_interrupts;
static volatile long secondary_hartid = -1;
static volatile long secondary_opaque;

__attribute__((interrupt("supervisor"), aligned(4))) static void trap_handler(void) {
    unsigned long cause;
    __asm__ volatile("csrr %0, scause" : "=r"(cause));
    if (cause == (INTERRUPT | IRQ_S_TIMER)) {
        timer_interrupts++;
        sbi_call(EXT_TIME, 0, -1, 0, 0, 0, 0);
    } else if (cause == (INTERRUPT | IRQ_S_SOFT)) {
        software_interrupts++;
        __asm__ volatile("csrc sip, %0" : : "r"(SIE_SSIE));
    } else {
        puts_dbcn("sbi: FAILED unexpected trap\n");
        shutdown(1);
    }
}

static unsigned long rdtime(void) {
    unsigned long time;
    __asm__ volatile("rdtime %0" : "=r"(time));
    return time;
}

void secondary_main(long hartid, long opaque) {
    secondary_opaque = opaque;
    secondary_hartid = hartid;
    sbi_call(EXT_HSM, 1, 0, 0, 0, 0, 0);
    for (;;) {
    }
}

extern char secondary_start[];

static void check_base(void) {
    check(sbi_call(EXT_BASE, 0, 0, 0, 0, 0, 0).value == (2L << 24), "BASE spec version 2.0");
    check(sbi_call(EXT_BASE, 1, 0, 0, 0, 0, 0).error == 0, "BASE implementation id");
    long extensions[] = {EXT_BASE, EXT_TIME, EXT_IPI, EXT_RFENCE, EXT_HSM, EXT_SRST, EXT_DBCN, LEGACY_PUTCHAR};
    for (unsigned i = 0; i < sizeof extensions / sizeof extensions[0]; i++) {
        check(sbi_call(EXT_BASE, 3, extensions[i], 0, 0, 0, 0).value == 1, "BASE probe of a present extension");
    }
    check(sbi_call(EXT_BASE, 3, 0x0A000000, 0, 0, 0, 0).value == 0, "BASE probe of an absent extension");
    check(sbi_call(0x0A000000, 0, 0, 0, 0, 0, 0).error == ERR_NOT_SUPPORTED, "unknown extension");
    check(sbi_call(EXT_BASE, 99, 0, 0, 0, 0, 0).error == ERR_NOT_SUPPORTED, "unknown BASE function");
}

static void check_console(void) {
    static const char message[] = "sbi: dbcn write\n";
    check(sbi_call(EXT_DBCN, 0, sizeof message - 1, (long)(uintptr_t)message, 0, 0, 0).value == sizeof message - 1,
          "DBCN console_write returns the bytes written");
    check(sbi_call(EXT_DBCN, 2, 'D', 0, 0, 0, 0).error == 0, "DBCN console_write_byte");
    check(sbi_call(EXT_DBCN, 2, '\n', 0, 0, 0, 0).error == 0, "DBCN console_write_byte");
    check(sbi_call(EXT_DBCN, 0, 16, 0x1000, 0, 0, 0).error == ERR_INVALID_PARAM, "DBCN rejects a buffer outside RAM");
    char buffer[8];
    check(sbi_call(EXT_DBCN, 1, sizeof buffer, (long)(uintptr_t)buffer, 0, 0, 0).error == 0, "DBCN console_read");
    const char *legacy = "legacy putchar\n";
    while (*legacy) {
        check(legacy_call(LEGACY_PUTCHAR, *legacy++) == 0, "legacy console_putchar");
    }
    check(legacy_call(LEGACY_GETCHAR, 0) == -1, "legacy console_getchar without input");
}

static void check_timer_and_ipi(void) {
    __asm__ volatile("csrw stvec, %0" : : "r"(trap_handler));
    __asm__ volatile("csrs sie, %0" : : "r"(SIE_STIE | SIE_SSIE));
    __asm__ volatile("csrs sstatus, %0" : : "r"(SSTATUS_SIE));

    unsigned long start = rdtime();
    check(sbi_call(EXT_TIME, 0, (long)(start + 20000), 0, 0, 0, 0).error == 0, "TIME set_timer");
    while (timer_interrupts == 0) {
        __asm__ volatile("wfi");
    }
    check(rdtime() - start >= 20000, "the timer fires no earlier than its deadline");
    check(timer_interrupts == 1, "one timer interrupt");

    check(sbi_call(EXT_IPI, 0, 1, 0, 0, 0, 0).error == 0, "IPI send_ipi to self");
    while (software_interrupts == 0) {
        __asm__ volatile("wfi");
    }
    check(software_interrupts == 1, "one software interrupt");
    check(sbi_call(EXT_IPI, 0, 1, 7, 0, 0, 0).error == ERR_INVALID_PARAM, "IPI to a hart that does not exist");
}

static void check_harts(void) {
    check(sbi_call(EXT_HSM, 2, 0, 0, 0, 0, 0).value == 0, "HSM boot hart is started");
    check(sbi_call(EXT_HSM, 2, 1, 0, 0, 0, 0).value == 1, "HSM second hart starts stopped");
    check(sbi_call(EXT_HSM, 0, 0, (long)(uintptr_t)secondary_start, 0, 0, 0).error == ERR_ALREADY_STARTED,
          "HSM hart_start of a running hart");
    check(sbi_call(EXT_HSM, 0, 1, (long)(uintptr_t)secondary_start, 0x1234, 0, 0).error == 0, "HSM hart_start");
    while (secondary_hartid < 0) {
    }
    check(secondary_hartid == 1 && secondary_opaque == 0x1234, "HSM passes hartid and opaque to the new hart");
    while (sbi_call(EXT_HSM, 2, 1, 0, 0, 0, 0).value != 1) {
    }
    check(sbi_call(EXT_HSM, 2, 9, 0, 0, 0, 0).error == ERR_INVALID_PARAM, "HSM status of a hart that does not exist");
}

/*
 * With supervisor interrupts masked (sstatus.SIE clear) a pending timer interrupt enabled in sie still ends WFI and
 * a retentive suspend, and no handler runs: each of them waits here for certain, then the timer is disarmed.
 */
static void check_waits(void) {
    __asm__ volatile("csrc sstatus, %0" : : "r"(SSTATUS_SIE));
    __asm__ volatile("csrs sie, %0" : : "r"(SIE_STIE));
    unsigned long start = rdtime();
    sbi_call(EXT_TIME, 0, (long)(start + 20000), 0, 0, 0, 0);
    __asm__ volatile("wfi");
    while (rdtime() - start < 20000) {
        __asm__ volatile("wfi");
    }
    start = rdtime();
    sbi_call(EXT_TIME, 0, (long)(start + 20000), 0, 0, 0, 0);
    check(sbi_call(EXT_HSM, 3, 0, 0, 0, 0, 0).error == 0, "HSM default retentive suspend");
    while (rdtime() - start < 20000) {
        check(sbi_call(EXT_HSM, 3, 0, 0, 0, 0, 0).error == 0, "HSM default retentive suspend");
    }
    check(sbi_call(EXT_HSM, 3, 0x1, 0, 0, 0, 0).error == ERR_INVALID_PARAM, "HSM suspend of a reserved type");
    sbi_call(EXT_TIME, 0, -1, 0, 0, 0, 0);
    check(timer_interrupts == 1, "no timer interrupt is taken while sstatus.SIE is clear");
}

static void check_fences(void) {
    check(sbi_call(EXT_RFENCE, 0, 3, 0, 0, 0, 0).error == 0, "RFENCE remote_fence_i");
    check(sbi_call(EXT_RFENCE, 1, 3, 0, 0, -1, 0).error == 0, "RFENCE remote_sfence_vma");
    check(sbi_call(EXT_RFENCE, 2, 0, -1, 0x80200000, 4096, 1).error == 0, "RFENCE remote_sfence_vma_asid");
    check(sbi_call(EXT_RFENCE, 3, 3, 0, 0, 0, 0).error == ERR_NOT_SUPPORTED, "RFENCE hfence is not supported");
    check(sbi_call(EXT_RFENCE, 0, 1, 5, 0, 0, 0).error == ERR_INVALID_PARAM, "RFENCE to a hart that does not exist");
}

void main(long hartid, long device_tree) {
    puts_dbcn("sbi: supervisor payload on hart ");
    sbi_call(EXT_DBCN, 2, '0' + hartid, 0, 0, 0, 0);
    puts_dbcn("\n");
    check(hartid == 0, "the boot hart is hart 0");
    check(*(volatile uint32_t *)device_tree == 0xedfe0dd0, "a1 points at a device tree");
    check_base();
    check_console();
    check_timer_and_ipi();
    check_harts();
    check_waits();
    check_fences();
    if (failures == 0) {
        puts_dbcn("sbi: all checks passed\n");
        shutdown(0);
    }
    shutdown(1);
}
