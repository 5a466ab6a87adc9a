package io.pogo.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pogo.api.cpu.Interrupt;
import io.pogo.api.device.MmioWindow;
import org.junit.jupiter.api.Test;

class PlicTest {

    private static final long ENABLE = 0x2000;
    private static final long CONTEXT = 0x200000;

    private final RecordingHarts harts = new RecordingHarts(2);
    private final Plic plic = new Plic(harts, new MmioWindow(0xc000000, 0x600000));

    private void enable(int context, int source) {
        long register = ENABLE + 0x80L * context + 4L * (source / 32);
        plic.write(register, 4, plic.read(register, 4) | 1L << (source % 32));
    }

    private long claim(int context) {
        return plic.read(CONTEXT + 0x1000L * context + 4, 4);
    }

    private void complete(int context, int source) {
        plic.write(CONTEXT + 0x1000L * context + 4, 4, source);
    }

    @Test
    void enabledSourceAboveThresholdRaisesTheContextsExternalInterrupt() {
        plic.write(4 * 10, 4, 1);
        enable(1, 10);
        plic.setSourceLevel(10, true);

        assertTrue(harts.isPending(0, Interrupt.SUPERVISOR_EXTERNAL));
        assertFalse(harts.isPending(0, Interrupt.MACHINE_EXTERNAL));
        assertEquals(1 << 10, plic.read(0x1000, 4));
        assertEquals(10, claim(1));
        assertFalse(harts.isPending(0, Interrupt.SUPERVISOR_EXTERNAL));
        assertEquals(0, plic.read(0x1000, 4), "claimed: no longer pending");
    }

    @Test
    void levelStillAssertedAtCompletionRequestsAgain() {
        plic.write(4 * 3, 4, 2);
        enable(2, 3);
        plic.setSourceLevel(3, true);
        assertEquals(3, claim(2));
        assertEquals(0, claim(2), "nothing else to claim");
        complete(2, 3);
        assertTrue(harts.isPending(1, Interrupt.MACHINE_EXTERNAL));
        assertEquals(3, claim(2));
        plic.setSourceLevel(3, false);
        complete(2, 3);
        assertFalse(harts.isPending(1, Interrupt.MACHINE_EXTERNAL));
        assertEquals(0, claim(2));
    }

    @Test
    void thresholdPriorityZeroAndDisabledSourcesMaskInterrupts() {
        enable(0, 5);
        plic.setSourceLevel(5, true);
        assertFalse(harts.isPending(0, Interrupt.MACHINE_EXTERNAL), "priority 0 never interrupts");
        plic.write(4 * 5, 4, 3);
        assertTrue(harts.isPending(0, Interrupt.MACHINE_EXTERNAL));
        plic.write(CONTEXT, 4, 3);
        assertFalse(harts.isPending(0, Interrupt.MACHINE_EXTERNAL), "threshold 3 masks priority 3");
        assertEquals(0, claim(0));
        plic.write(CONTEXT, 4, 2);
        assertEquals(5, claim(0));
        assertFalse(harts.isPending(0, Interrupt.SUPERVISOR_EXTERNAL), "not enabled for context 1");
    }

    @Test
    void highestPriorityWinsThenLowestId() {
        for (int source : new int[] {7, 8, 9}) {
            enable(0, source);
            plic.setSourceLevel(source, true);
        }
        plic.write(4 * 7, 4, 1);
        plic.write(4 * 8, 4, 4);
        plic.write(4 * 9, 4, 4);
        assertEquals(8, claim(0));
        assertEquals(9, claim(0));
        assertEquals(7, claim(0));
    }

    @Test
    void registersReadBackMaskedAndSourceZeroCannotBeEnabled() {
        plic.write(4 * 1, 4, 0xff);
        assertEquals(7, plic.read(4 * 1, 4));
        plic.write(ENABLE, 4, 0xffff_ffffL);
        assertEquals(0xffff_fffeL, plic.read(ENABLE, 4));
        plic.write(CONTEXT + 0x1000, 4, 9);
        assertEquals(1, plic.read(CONTEXT + 0x1000, 4));
        assertEquals(0, plic.read(CONTEXT + 0x1000L * 4, 4), "no fifth context on two harts");
    }

    @Test
    void deassertingBeforeTheClaimWithdrawsTheRequest() {
        plic.write(4 * 2, 4, 1);
        enable(0, 2);
        plic.setSourceLevel(2, true);
        plic.setSourceLevel(2, false);
        assertFalse(harts.isPending(0, Interrupt.MACHINE_EXTERNAL));
        assertEquals(0, claim(0));
    }
}
