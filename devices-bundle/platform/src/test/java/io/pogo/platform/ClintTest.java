package io.pogo.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pogo.api.cpu.Interrupt;
import io.pogo.api.device.MmioWindow;
import io.pogo.api.device.Timebase;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClintTest {

    private record Armed(int hart, Interrupt interrupt, long deadline) {
    }

    private final RecordingHarts harts = new RecordingHarts(2);
    private final List<Armed> armed = new ArrayList<>();
    private long ticks = 0x1_2345_6789L;
    private final Clint clint = new Clint(harts, new Timebase() {
        @Override
        public long ticks() {
            return ticks;
        }

        @Override
        public long frequency() {
            return 10_000_000;
        }

        @Override
        public void arm(int hartId, Interrupt interrupt, long deadline) {
            armed.add(new Armed(hartId, interrupt, deadline));
        }
    }, new MmioWindow(0x2000000, 0x10000));

    @Test
    void mtimeIsTheTimebaseInOneOrTwoWords() {
        assertEquals(0x1_2345_6789L, clint.read(0xbff8, 8));
        assertEquals(0x2345_6789L, clint.read(0xbff8, 4));
        assertEquals(1, clint.read(0xbffc, 4));
    }

    @Test
    void mtimecmpArmsTheHartsMachineTimer() {
        clint.write(0x4008, 8, 0x10_0000_0000L);
        clint.write(0x4000, 4, 0x500);
        clint.write(0x4004, 4, 0x7);
        assertEquals(List.of(new Armed(1, Interrupt.MACHINE_TIMER, 0x10_0000_0000L),
                new Armed(0, Interrupt.MACHINE_TIMER, 0xffff_ffff_0000_0500L),
                new Armed(0, Interrupt.MACHINE_TIMER, 0x7_0000_0500L)), armed);
        assertEquals(0x7_0000_0500L, clint.read(0x4000, 8));
        assertEquals(0x7, clint.read(0x4004, 4));
    }

    @Test
    void msipRaisesAndClearsTheMachineSoftwareInterrupt() {
        clint.write(4, 4, 1);
        assertTrue(harts.isPending(1, Interrupt.MACHINE_SOFTWARE));
        assertFalse(harts.isPending(0, Interrupt.MACHINE_SOFTWARE));
        assertEquals(1, clint.read(4, 4));
        clint.write(4, 4, 0);
        assertFalse(harts.isPending(1, Interrupt.MACHINE_SOFTWARE));
        assertEquals(0, clint.read(4, 4));
    }

    @Test
    void registersOfHartsThatDoNotExistAreIgnored() {
        clint.write(8, 4, 1);
        clint.write(0x4010, 8, 5);
        assertEquals(List.of(), armed);
        assertEquals(0, clint.read(0x4010, 8));
    }
}
