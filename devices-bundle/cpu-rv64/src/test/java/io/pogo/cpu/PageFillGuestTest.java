package io.pogo.cpu;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The page-fill workload of scripts/bench, at 4 MiB: a user program under Sv39 fills fresh pages and sums them. */
class PageFillGuestTest {

    @Test
    void aUserProgramFillsFreshPagesUnderSv39AndSumsThem() {
        TestMachine machine = TestMachine.boot("pagefill-4m");

        assertEquals(0, machine.runToFinisher(200_000_000), machine.console.toString());
        // FNV-1a of the bytes (i ^ i >> 12) for i below 4 Mi, as QEMU's virt board prints it too
        assertEquals("pagefill: 4 MiB, checksum 0x876a71e31d862325\r\n", machine.console.toString());
    }
}
