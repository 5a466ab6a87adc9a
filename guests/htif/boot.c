/*
 * A bare-metal guest for QEMU's virt board built the plain way (-Ttext=0x80000000, so its first segment also
 * carries the ELF header page below RAM): prints on the UART, with PRINT_TREE the model and bootargs of the
 * device tree that a1 points to, then ends through the test finisher with exit code 3.
 */
#include <stdint.h>

#define UART ((volatile uint8_t *) 0x10000000UL)
#define FINISHER ((volatile uint32_t *) 0x100000UL)
#define FDT_MAGIC 0xd00dfeed
#define FDT_BEGIN_NODE 1
#define FDT_END_NODE 2
#define FDT_PROP 3
#define FDT_NOP 4

static void putchar(char c) {
    while (!(UART[5] & 0x20)) {
    }
    UART[0] = c;
}

static void puts(const char *s) {
    while (*s) {
        putchar(*s++);
    }
}

#ifdef PRINT_TREE
static uint32_t be32(const void *p) {
    const uint8_t *b = p;
    return (uint32_t) b[0] << 24 | (uint32_t) b[1] << 16 | (uint32_t) b[2] << 8 | b[3];
}

static int same(const char *a, const char *b) {
    while (*a && *a == *b) {
        a++;
        b++;
    }
    return *a == *b;
}

static uint32_t length(const char *s) {
    uint32_t n = 0;
    while (s[n]) {
        n++;
    }
    return n;
}

static uint32_t aligned(uint32_t offset) {
    return (offset + 3) & ~3u;
}

/* Prints the root's model and /chosen/bootargs as "model: ..." and "bootargs: ..." lines. */
static void print_tree(const uint8_t *fdt) {
    if (be32(fdt) != FDT_MAGIC) {
        puts("no device tree at a1\n");
        return;
    }
    const uint8_t *structure = fdt + be32(fdt + 8);
    const char *strings = (const char *) fdt + be32(fdt + 12);
    const char *bootargs = "(none)";
    int depth = 0;
    int in_chosen = 0;
    uint32_t at = 0;
    for (;;) {
        uint32_t token = be32(structure + at);
        at += 4;
        if (token == FDT_BEGIN_NODE) {
            const char *name = (const char *) structure + at;
            depth++;
            in_chosen = depth == 2 && same(name, "chosen");
            at = aligned(at + 1 + length(name));
        } else if (token == FDT_END_NODE) {
            depth--;
            in_chosen = 0;
        } else if (token == FDT_PROP) {
            uint32_t size = be32(structure + at);
            const char *name = strings + be32(structure + at + 4);
            const char *value = (const char *) structure + at + 8;
            if (depth == 1 && same(name, "model")) {
                puts("model: ");
                puts(value);
                puts("\n");
            } else if (in_chosen && same(name, "bootargs")) {
                bootargs = value;
            }
            at = aligned(at + 8 + size);
        } else if (token != FDT_NOP) {
            break;
        }
    }
    puts("bootargs: ");
    puts(bootargs);
    puts("\n");
}
#endif

void hart_main(uint64_t hart, const uint8_t *device_tree) {
    if (hart != 0) {
        for (;;) {
            __asm__ volatile ("wfi");
        }
    }
    puts("boot: hello from a -Ttext=0x80000000 guest\n");
#ifdef PRINT_TREE
    print_tree(device_tree);
#endif
    *FINISHER = 3 << 16 | 0x3333;
    for (;;) {
    }
}
