/*
 * Prints through HTIF as bbl and pk-style programs do: bytes through the console device (device 1, command 1)
 * and, with SYSCALLS, lines through the front end's system-call proxy (magic_mem, as riscv-tests' benchmarks
 * syscalls.c builds it). With ECHO it reads a line through the console device (command 0, answered in
 * fromhost) and prints it back. Ends with exit code EXIT_CODE, through tohost (code << 1 | 1) or the exit system
 * call. Other harts wait.
 */
#include <stdint.h>

#ifndef EXIT_CODE
#define EXIT_CODE 0
#endif
#define SYS_write 64
#define SYS_exit 93

volatile uint64_t tohost __attribute__((section(".tohost"), aligned(64)));
volatile uint64_t fromhost __attribute__((section(".tohost"), aligned(64)));

static void console_putchar(char c) {
    tohost = 0x0101000000000000UL | (uint8_t) c;
    while (fromhost == 0) {
    }
    fromhost = 0;
}

#ifdef ECHO
static char console_getchar(void) {
    tohost = 0x0100000000000000UL;
    uint64_t answer;
    while ((answer = fromhost) == 0) {
    }
    fromhost = 0;
    return (char) answer;
}
#endif

static void console_puts(const char *s) {
    while (*s) {
        console_putchar(*s++);
    }
}

static void console_put_signed(int64_t value) {
    char digits[24];
    int n = 0;
    uint64_t magnitude = value < 0 ? -(uint64_t) value : (uint64_t) value;
    do {
        digits[n++] = '0' + magnitude % 10;
        magnitude /= 10;
    } while (magnitude);
    if (value < 0) {
        console_putchar('-');
    }
    while (n) {
        console_putchar(digits[--n]);
    }
}

#ifdef SYSCALLS
static uint64_t length(const char *s) {
    uint64_t n = 0;
    while (s[n]) {
        n++;
    }
    return n;
}

static int64_t syscall(uint64_t which, uint64_t arg0, uint64_t arg1, uint64_t arg2) {
    volatile uint64_t magic_mem[8] __attribute__((aligned(64)));
    magic_mem[0] = which;
    magic_mem[1] = arg0;
    magic_mem[2] = arg1;
    magic_mem[3] = arg2;
    __sync_synchronize();
    tohost = (uintptr_t) magic_mem;
    while (fromhost == 0) {
    }
    fromhost = 0;
    __sync_synchronize();
    return magic_mem[0];
}

static int64_t write_line(uint64_t fd, const char *s) {
    return syscall(SYS_write, fd, (uintptr_t) s, length(s));
}
#endif

void hart_main(uint64_t hart) {
    if (hart != 0) {
        for (;;) {
            __asm__ volatile ("wfi");
        }
    }
    console_puts("htif console: hello from hart 0\n");
#ifdef ECHO
    char line[64];
    int n = 0;
    for (char c = console_getchar(); c != '\n' && n < 63; c = console_getchar()) {
        line[n++] = c;
    }
    line[n] = 0;
    console_puts("htif console: read ");
    console_puts(line);
    console_puts("\n");
#endif
#ifdef SYSCALLS
    int64_t written = write_line(1, "htif syscall: write to stdout\n");
    write_line(2, "htif syscall: write to stderr\n");
    int64_t bad = write_line(3, "nobody reads fd 3\n");
    console_puts("htif syscall: write returned ");
    console_put_signed(written);
    console_puts(", fd 3 answered ");
    console_put_signed(bad);
    console_puts("\n");
    syscall(SYS_exit, EXIT_CODE, 0, 0);
#else
    console_puts("htif console: exit code ");
    console_put_signed(EXIT_CODE);
    console_puts("\n");
    tohost = (EXIT_CODE << 1) | 1;
#endif
    for (;;) {
    }
}
