/* Two harts for the GDB stub's tests: hart 1 spins in a hot loop (compiled by the JIT long before gdb looks),
   hart 0 waits for it to get going, then calls checkpoint, where gdb breaks and looks at both harts, and waits for
   a few more beats before it ends the guest, so a breakpoint set in beat is always reached. */
#include "guest.h"

#define WARM_UP 200000

volatile unsigned long heartbeat;
volatile int finished;

void beat(void) {
    heartbeat++;
}

void spin(void) {
    while (!finished) {
        beat();
    }
}

void secondary_main(void) {
    spin();
    for (;;) {
        __asm__ volatile("wfi");
    }
}

void checkpoint(unsigned long seen) {
    (void)seen;
}

int main(void) {
    while (heartbeat < WARM_UP) {
    }
    checkpoint(heartbeat);
    unsigned long seen = heartbeat;
    while (heartbeat < seen + 1000) {
    }
    finished = 1;
    uart_puts("gdb smp guest done\n");
    return 0;
}
