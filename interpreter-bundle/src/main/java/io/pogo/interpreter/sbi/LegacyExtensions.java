package io.pogo.interpreter.sbi;

import io.pogo.api.cpu.Interrupt;

/**
 * The legacy SBI v0.1 calls early kernels and simple payloads use: set_timer (0x00), console_putchar (0x01),
 * console_getchar (0x02) and shutdown (0x08). They return a single value in a0.
 */
final class LegacyExtensions {

    static final long SET_TIMER = 0x00;
    static final long CONSOLE_PUTCHAR = 0x01;
    static final long CONSOLE_GETCHAR = 0x02;
    static final long SHUTDOWN = 0x08;

    private LegacyExtensions() {
    }

    static boolean handles(long extension) {
        return extension == SET_TIMER || extension == CONSOLE_PUTCHAR || extension == CONSOLE_GETCHAR
                || extension == SHUTDOWN;
    }

    /** The value left in a0. */
    static long call(long extension, SbiCall call) {
        if (extension == SET_TIMER) {
            call.vm().timebase().arm(call.hart().id(), Interrupt.SUPERVISOR_TIMER, call.arg(0));
            return 0;
        }
        if (extension == CONSOLE_PUTCHAR) {
            call.vm().console().write((int) call.arg(0) & 0xff);
            return 0;
        }
        if (extension == CONSOLE_GETCHAR) {
            return call.vm().console().poll();
        }
        call.vm().power().powerOff(0);
        call.vm().hartControl().stopCurrent(call.hart().id());
        return 0;
    }
}
