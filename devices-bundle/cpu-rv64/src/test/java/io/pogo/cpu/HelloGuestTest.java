package io.pogo.cpu;

import io.pogo.api.cpu.ExitKind;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HelloGuestTest {

    @Test
    void helloGreetsAndPasses() {
        TestMachine machine = TestMachine.boot("hello");
        assertEquals(0, machine.runToFinisher(1_000_000));
        assertEquals("hello from guest\r\nhart 0, exit code 0\r\n", machine.console.toString());
        assertTrue(machine.exits(ExitKind.CSR_ACCESS) >= 2, "mhartid and mtvec accesses leave the CPU");
    }

    @Test
    void helloReportsItsExitCode() {
        TestMachine machine = TestMachine.boot("hello-exit3");
        assertEquals(3, machine.runToFinisher(1_000_000));
        assertTrue(machine.console.toString().endsWith("exit code 3\r\n"));
    }
}
