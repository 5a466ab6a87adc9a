/* Reads the timeriomem-style random number generator of the example device bundle (at 0x102000). */
#include "devices.h"

#define RNG 0x102000UL

int main(void) {
    uint32_t words[4];
    int distinct = 0;
    for (int i = 0; i < 4; i++) {
        words[i] = REG32(RNG);
        distinct += i > 0 && words[i] != words[i - 1];
        uart_puts("random: ");
        uart_puthex(words[i]);
        uart_puts("\n");
    }
    if (distinct < 2) {
        fail("the generator repeats itself");
    }
    uart_puts("rng ok\n");
    return 0;
}
