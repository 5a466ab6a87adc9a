package io.pogo.cpu;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The self-checking programs of guests/isa (each passes on qemu-system-riscv64 -M virt -bios none). */
class IsaGuestTest {

    @ParameterizedTest
    @ValueSource(strings = {"isa-int", "isa-amo", "isa-fp", "isa-priv", "isa-irq", "isa-bitmanip", "isa-sstc",
            "isa-debug"})
    void guestPassesItsOwnChecks(String guest) {
        TestMachine machine = TestMachine.boot(guest);
        int code = machine.runToFinisher(100_000_000);
        assertEquals("PASS\r\n", machine.consoleOutput());
        assertEquals(0, code);
    }

    /** Random instruction streams print every register at the end: the same as on QEMU, bit for bit. */
    @Test
    void randomStreamsEndInQemusRegisterState() throws IOException {
        TestMachine machine = TestMachine.boot("isa-random");
        int code = machine.runToFinisher(200_000_000);
        String expected = Files.readString(Path.of("../../guests/isa/random.expected"));
        assertEquals(expected, machine.consoleOutput());
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
