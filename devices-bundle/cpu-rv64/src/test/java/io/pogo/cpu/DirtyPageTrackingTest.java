package io.pogo.cpu;

import io.pogo.api.memory.DirtyPages;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dirty guest stores to known pages of a buffer after reading all of them (so their translations are cached
 * first); the dirty-page log must hold exactly those pages, in each of two rounds, whether the stores ran
 * interpreted or compiled, plain or atomic, and count the host's own writes (DMA) too. Tracking starts after the
 * guest's startup zeroed its bss, as migration starts on a running guest.
 */
class DirtyPageTrackingTest {

    private static final Pattern ADDRESSES = Pattern.compile("pages 0x([0-9a-f]{16}) go 0x([0-9a-f]{16})");

    @Test
    void logHoldsExactlyThePagesTheGuestWroteInEachRound() {
        TestMachine machine = TestMachine.boot("dirty");
        runUntil(machine, "\r\n");
        Matcher addresses = ADDRESSES.matcher(machine.console);
        assertTrue(addresses.find(), machine.console::toString);
        long pages = Long.parseUnsignedLong(addresses.group(1), 16) - TestMachine.RAM_BASE;
        long go = Long.parseUnsignedLong(addresses.group(2), 16) - TestMachine.RAM_BASE;
        DirtyPages dirty = machine.memory.dirtyPages();
        dirty.start();
        machine.hart().flushTranslations(-1, -1);
        machine.memory.store(TestMachine.RAM_BASE + go, 8, 1);

        runUntil(machine, "round 1\r\n");
        long[] round1 = takeWhilePaused(machine, dirty);
        assertEquals(List.of(3, 5, 6), bufferPagesIn(round1, pages));
        assertTrue(isSet(round1, go), "the host's write to the flag counts");
        assertFalse(isSet(round1, machine.hart().pc() - TestMachine.RAM_BASE), "code is not written");

        machine.memory.store(TestMachine.RAM_BASE + go, 8, 2);
        assertEquals(0, machine.runToFinisher(10_000_000));
        long[] round2 = dirty.take();
        assertEquals(List.of(9, 12), bufferPagesIn(round2, pages));
        assertTrue(isSet(round2, go));
    }

    @Test
    void nothingIsRecordedWhileTrackingIsOff() {
        TestMachine machine = TestMachine.boot("dirty");
        runUntil(machine, "\r\n");
        long[] taken = machine.memory.dirtyPages().take();
        for (long word : taken) {
            assertEquals(0, word);
        }
    }

    /** Takes the log and makes the hart drop its writable translations before it runs again, as migration does. */
    private static long[] takeWhilePaused(TestMachine machine, DirtyPages dirty) {
        long[] taken = dirty.take();
        machine.hart().flushTranslations(-1, -1);
        return taken;
    }

    private static void runUntil(TestMachine machine, String text) {
        for (int quantum = 0; !machine.console.toString().contains(text); quantum++) {
            assertTrue(quantum < 10_000, () -> "no \"" + text.strip() + "\" on the console: " + machine.console);
            machine.vcpu.run(10_000);
        }
    }

    private static List<Integer> bufferPagesIn(long[] bitmap, long bufferOffset) {
        List<Integer> written = new ArrayList<>();
        for (int page = 0; page < 16; page++) {
            if (isSet(bitmap, bufferOffset + (long) page * DirtyPages.PAGE_SIZE)) {
                written.add(page);
            }
        }
        return written;
    }

    private static boolean isSet(long[] bitmap, long offset) {
        long page = offset / DirtyPages.PAGE_SIZE;
        return (bitmap[(int) (page >>> 6)] & (1L << page)) != 0;
    }
}
