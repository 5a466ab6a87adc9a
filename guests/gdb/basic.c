/* One hart for the GDB stub's tests, built at -O0 so that every local lives on the stack where gdb finds it:
   gdb breaks in accumulate, prints limit, sum and total, steps, and watches watched change to 42. */
#include "guest.h"

int total;
volatile int watched;

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

int main(void) {
    total = accumulate(4);
    publish(total + 12);
    uart_puts("gdb guest done\n");
    return 0;
}
