package io.pogo.allocator.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pogo.api.memory.GuestMemory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class OnDemandMemoryTest {

    private static final long BASE = 0x8000_0000L;
    /** The line that opens a mapping in smaps: its start and end address. */
    private static final Pattern MAPPING_RANGE = Pattern.compile("^([0-9a-f]+)-([0-9a-f]+) ");
    private final OnDemandMemory policy = new OnDemandMemory();

    @Test
    void onlyTouchedPagesAreBacked() {
        GuestMemory memory = policy.back("vm", BASE, 1L << 30);
        try {
            assertTrue(policy.residentBytes(memory) < 64 * 1024, "nothing touched yet");
            for (int page = 0; page < 100; page++) {
                memory.store(BASE + page * 8192L, 8, page);
            }
            long resident = policy.residentBytes(memory);
            assertTrue(resident >= 100 * 4096 && resident < (16L << 20), "resident " + resident);
            assertEquals(99, memory.load(BASE + 99 * 8192L, 8));
            assertEquals(0, memory.load(BASE + (1L << 30) - 8, 8), "untouched memory reads as zero");
            assertEquals(0, policy.committedBytes(memory));
        } finally {
            policy.release(memory);
        }
    }

    @Test
    void discardedPagesGoBackToTheHostAndReadAsZero() {
        GuestMemory memory = policy.back("vm", BASE, 64L << 20);
        try {
            for (long offset = 0; offset < (32L << 20); offset += 4096) {
                memory.store(BASE + offset, 8, offset | 1);
            }
            long touched = policy.residentBytes(memory);
            memory.discard(BASE + 100, (16L << 20) - 100);
            long after = policy.residentBytes(memory);
            assertTrue(touched - after >= (16L << 20) - 8192 && touched - after <= 16L << 20,
                    "only whole pages inside the range go: " + touched + " then " + after);
            assertEquals(1, memory.load(BASE, 8), "the partial first page stays");
            assertEquals(0, memory.load(BASE + 4096, 8));
            assertEquals((16L << 20) | 1, memory.load(BASE + (16L << 20), 8));
            memory.discard(BASE - 4096, 1L << 40);
            memory.discard(BASE + (64L << 20), 4096);
            memory.discard(0, -1);
            assertTrue(policy.residentBytes(memory) < 64 * 1024, "a range past RAM discards what lies inside RAM");
        } finally {
            policy.release(memory);
        }
    }

    /**
     * A balloon's 4 KiB pages leave their 2 MiB range partly backed: that range is kept from huge pages (the kernel's
     * "nh" flag on the mapping holding it), so that khugepaged cannot back the whole range again; a range the discard
     * emptied whole, or did not reach, keeps the advice for huge pages.
     */
    @Test
    void aRangeDiscardedInPartIsKeptFromHugePagesAndTheRestIsNot() throws IOException {
        GuestMemory memory = policy.back("vm", BASE, 16L << 20);
        try {
            for (long offset = 0; offset < (16L << 20); offset += 4096) {
                memory.store(BASE + offset, 8, offset | 1);
            }
            memory.discard(BASE + (2L << 20) + 4096, 4096);
            memory.discard(BASE + (8L << 20), 4L << 20);
            long host = memory.segment().address();
            // a host without transparent huge pages takes neither advice ("hg" is the advice for them)
            boolean hugePages = mappingFlags(host).contains("hg");
            List<String> partial = mappingFlags(host + (2L << 20));
            assertEquals(hugePages, partial.contains("nh"), partial.toString());
            assertEquals((2L << 20) | 1, memory.load(BASE + (2L << 20), 8), "the rest of the range stays");
            assertEquals(0, memory.load(BASE + (2L << 20) + 4096, 8));
            for (long other : new long[] {0, 4L << 20, 8L << 20, 10L << 20, 14L << 20}) {
                List<String> flags = mappingFlags(host + other);
                assertFalse(flags.contains("nh"), other + ": " + flags);
                assertEquals(hugePages, flags.contains("hg"), other + ": " + flags);
            }
        } finally {
            policy.release(memory);
        }
    }

    /** The kernel's flags of the mapping of this process that holds {@code address} ("VmFlags" in smaps). */
    private static List<String> mappingFlags(long address) throws IOException {
        boolean holds = false;
        for (String line : Files.readAllLines(Path.of("/proc/self/smaps"))) {
            Matcher range = MAPPING_RANGE.matcher(line);
            if (range.find()) {
                holds = Long.compareUnsigned(Long.parseUnsignedLong(range.group(1), 16), address) <= 0
                        && Long.compareUnsigned(address, Long.parseUnsignedLong(range.group(2), 16)) < 0;
            } else if (holds && line.startsWith("VmFlags:")) {
                return List.of(line.substring("VmFlags:".length()).trim().split(" +"));
            }
        }
        throw new AssertionError("no mapping holds 0x" + Long.toHexString(address));
    }

    @Test
    void accessAfterReleaseFailsInsteadOfCrashing() {
        GuestMemory memory = policy.back("vm", BASE, 1L << 20);
        policy.release(memory);
        assertThrows(IllegalStateException.class, () -> memory.load(BASE, 8));
    }

}
