/* One hart for the GDB stub's tests, built at -O0 so that every local lives on the stack where gdb finds it:
   gdb breaks in accumulate, prints limit, sum and total, steps, and watches watched change to 42. It also reads
   mtime on both sides of pause_here: while gdb holds the guest there, the guest's time stands still. */
#include "guest.h"

#define MTIME ((volatile uint64_t *)0x200bff8UL)

int total;
volatile int watched;
volatile uint64_t before_pause, after_pause;

static int square(int value) {
    int result = value * value;
    return result;
}

int accumulate(int limit) {
    int sum = 0;
    for (int i = 1; i <= limit; i++) {
        sum += square(i);
    }
    return sum;
}

void publish(int value) {
    watched = value;
}

void pause_here(void) {
}

int main(void) {
    total = accumulate(4);
    publish(total + 12);
    before_pause = *MTIME;
    pause_here();
    after_pause = *MTIME;
    uart_puts("gdb guest done\n");
    return 0;
}
