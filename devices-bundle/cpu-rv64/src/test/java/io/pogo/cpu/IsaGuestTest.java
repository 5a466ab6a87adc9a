package io.pogo.cpu;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The self-checking programs of guests/isa (each passes on qemu-system-riscv64 -M virt -bios none). */
class IsaGuestTest {

    @ParameterizedTest
    @ValueSource(strings = {"isa-int", "isa-amo", "isa-fp", "isa-priv", "isa-irq"})
    void guestPassesItsOwnChecks(String guest) {
        TestMachine machine = TestMachine.boot(guest);
        int code = machine.runToFinisher(5_000_000);
        assertEquals("PASS\r\n", machine.consoleOutput());
        assertEquals(0, code);
    }

    /** Two harts on two threads: shared counters under AMOADD and LR/SC, and code patched by the other hart. */
    @Test
    void twoHartsShareAtomicCountersAndCode() throws InterruptedException {
        TestMachine machine = TestMachine.boot("isa-smp", 2);
        int code = machine.runAllToFinisher(50_000_000);
        assertEquals("PASS\r\n", machine.consoleOutput());
        assertEquals(0, code);
    }
}
