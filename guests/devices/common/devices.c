#include "devices.h"

void print_dec(uint64_t v) {
    char digits[20];
    int n = 0;
    do {
        digits[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n) {
        uart_putc(digits[--n]);
    }
}

void print_bytes(const uint8_t *bytes, int length) {
    for (int i = 0; i < length; i++) {
        uart_putc(bytes[i] >= 0x20 && bytes[i] < 0x7f ? (char)bytes[i] : '.');
    }
}

int bytes_equal(const void *a, const void *b, int length) {
    const volatile uint8_t *x = a;
    const volatile uint8_t *y = b;
    for (int i = 0; i < length; i++) {
        if (x[i] != y[i]) {
            return 0;
        }
    }
    return 1;
}

void bytes_copy(void *to, const void *from, int length) {
    volatile uint8_t *x = to;
    const volatile uint8_t *y = from;
    for (int i = 0; i < length; i++) {
        x[i] = y[i];
    }
}

void bytes_fill(void *to, uint8_t value, int length) {
    volatile uint8_t *x = to;
    for (int i = 0; i < length; i++) {
        x[i] = value;
    }
}

void fail(const char *why) {
    uart_puts("FAIL: ");
    uart_puts(why);
    uart_puts("\n");
    guest_exit(1);
}
