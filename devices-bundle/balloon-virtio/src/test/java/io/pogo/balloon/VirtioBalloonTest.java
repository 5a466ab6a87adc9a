package io.pogo.balloon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pogo.api.allocator.MemoryBalloon;
import io.pogo.virtio.GuestDriver;
import io.pogo.virtio.SegmentMemory;
import io.pogo.virtio.TestContext;
import io.pogo.virtio.VirtioMmio;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** virtio-balloon driven as Linux's virtio_balloon drives it: page-number arrays, a stats buffer, free-page reports. */
class VirtioBalloonTest {

    private static final long RAM_SIZE = 1 << 20;
    private static final long PFNS = GuestDriver.RAM + 0x30000;
    private static final long STATS = GuestDriver.RAM + 0x31000;
    private static final long VICTIM = GuestDriver.RAM + 0x40000;
    private static final long FEATURES = VirtioMmio.F_VERSION_1 | VirtioBalloon.F_STATS_VQ | VirtioBalloon.F_REPORTING;

    private final SegmentMemory memory = new SegmentMemory(GuestDriver.RAM, RAM_SIZE);
    private final TestContext context = new TestContext(memory, Map.of());
    private final List<MemoryBalloon> detached = new ArrayList<>();
    private final VirtioBalloon balloon = new VirtioBalloon(memory, true, detached::add);
    private final VirtioMmio transport = new VirtioMmio(context, balloon);
    private final GuestDriver driver = new GuestDriver(transport, memory);

    {
        balloon.notifyConfigThrough(transport::configChanged);
    }

    private void fill(long address, int pages) {
        byte[] bytes = new byte[pages * 4096];
        java.util.Arrays.fill(bytes, (byte) 0x5a);
        driver.put(address, bytes);
    }

    private void sendPfns(int queue, long... pfns) {
        ByteBuffer array = ByteBuffer.allocate(4 * pfns.length).order(ByteOrder.LITTLE_ENDIAN);
        for (long pfn : pfns) {
            array.putInt((int) pfn);
        }
        driver.put(PFNS, array.array());
        driver.descriptor(queue, 0, PFNS, array.capacity(), 0, 0);
        driver.offer(queue, 0);
    }

    @Test
    void identifiesAsABalloonWithStatisticsAndReporting() {
        assertEquals(VirtioBalloon.DEVICE_ID, driver.reg(0x008));
        driver.setReg(0x14, 0);
        long features = driver.reg(0x010) & 0xffff_ffffL;
        assertEquals(VirtioBalloon.F_STATS_VQ | VirtioBalloon.F_REPORTING, features & 0xff);
    }

    @Test
    void theHostsTargetReachesTheDriverWithAConfigurationInterrupt() {
        driver.start(FEATURES, 4);
        driver.setReg(0x64, driver.reg(0x60));
        balloon.target(256 << 10);
        assertEquals(64, driver.reg(0x100), "num_pages");
        assertEquals(2, driver.reg(0x60) & 2, "configuration-change interrupt");
        assertTrue(context.interrupted());

        driver.setReg(0x104, 64);
        driver.setReg(0x100, 12345);
        assertEquals(64, driver.reg(0x100), "num_pages is the host's");
        assertEquals(256 << 10, balloon.balloonedBytes());
        assertEquals(256 << 10, balloon.targetBytes());
    }

    @Test
    void inflatedPagesGoBackToTheHostAndPagesOutsideRamAreIgnored() {
        driver.start(FEATURES, 4);
        fill(VICTIM, 3);
        long first = VICTIM >>> 12;
        sendPfns(VirtioBalloon.INFLATE_QUEUE, first, first + 2, 0, 0xffff_ffffL, (GuestDriver.RAM + RAM_SIZE) >>> 12);

        assertNotNull(driver.takeUsed(VirtioBalloon.INFLATE_QUEUE));
        assertEquals(2 * 4096, memory.discardedBytes());
        assertEquals(0, memory.load(VICTIM, 8));
        assertEquals(0x5a5a_5a5a_5a5a_5a5aL, memory.load(VICTIM + 4096, 8), "a page not inflated keeps its data");
        assertEquals(0, memory.load(VICTIM + 2 * 4096, 8));
        assertEquals("", transport.failure());

        sendPfns(VirtioBalloon.DEFLATE_QUEUE, first, first + 2);
        assertNotNull(driver.takeUsed(VirtioBalloon.DEFLATE_QUEUE));
        assertEquals(2 * 4096, memory.discardedBytes(), "deflating gives nothing back");
    }

    @Test
    void statisticsAreReadAndTheirBufferReturnedWhenTheHostAsks() {
        driver.start(FEATURES, 4);
        assertEquals(OptionalLong.empty(), balloon.guestFreeBytes());
        ByteBuffer stats = ByteBuffer.allocate(30).order(ByteOrder.LITTLE_ENDIAN);
        stats.putShort((short) VirtioBalloon.STAT_MEMFREE).putLong(5 << 20);
        stats.putShort((short) VirtioBalloon.STAT_AVAILABLE).putLong(7 << 20);
        stats.putShort((short) 99).putLong(1);
        driver.put(STATS, stats.array());
        driver.descriptor(2, 0, STATS, 30, 0, 0);
        driver.offer(2, 0);
        assertNull(driver.takeUsed(2), "the device keeps the buffer until it wants fresh numbers");

        assertEquals(OptionalLong.of(7 << 20), balloon.guestFreeBytes());
        assertNotNull(driver.takeUsed(2), "asking for fresh numbers hands the buffer back");
    }

    @Test
    void aSecondStatisticsBufferReturnsTheHeldOneAsQemuDoes() {
        driver.start(FEATURES, 4);
        driver.descriptor(2, 0, STATS, 10, 0, 0);
        driver.descriptor(2, 1, STATS + 16, 10, 0, 0);
        driver.offer(2, 0);
        assertNull(driver.takeUsed(2));
        driver.offer(2, 1);
        assertEquals(0, driver.takeUsed(2)[0]);
        assertNull(driver.takeUsed(2));
        assertEquals("", transport.failure());
    }

    @Test
    void reportedFreePagesGoBackToTheHost() {
        driver.start(FEATURES, 4);
        fill(VICTIM, 4);
        driver.descriptor(3, 0, VICTIM, 2 * 4096, GuestDriver.F_WRITE | GuestDriver.F_NEXT, 1);
        driver.descriptor(3, 1, VICTIM + 3 * 4096, 4096, GuestDriver.F_WRITE, 0);
        driver.offer(3, 0);

        long[] used = driver.takeUsed(3);
        assertEquals(0, used[1]);
        assertEquals(3 * 4096, memory.discardedBytes());
        assertEquals(0x5a5a_5a5a_5a5a_5a5aL, memory.load(VICTIM + 2 * 4096, 8));
    }

    /** Linux reports up to 32 blocks of 4 MiB at once: more than a copying device would take in one chain. */
    @Test
    void aReportLargerThanACopyingDeviceTakesIsServed() {
        SegmentMemory big = new SegmentMemory(GuestDriver.RAM, 128L << 20);
        VirtioBalloon device = new VirtioBalloon(big, true, gone -> { });
        GuestDriver guest = new GuestDriver(new VirtioMmio(new TestContext(big, Map.of()), device), big);
        guest.start(FEATURES, 4);
        for (int block = 0; block < 4; block++) {
            guest.descriptor(3, block, GuestDriver.RAM + (32L << 20) + block * (24L << 20), 24 << 20,
                    GuestDriver.F_WRITE | (block < 3 ? GuestDriver.F_NEXT : 0), block + 1);
        }
        guest.offer(3, 0);
        assertNotNull(guest.takeUsed(3));
        assertEquals(96L << 20, big.discardedBytes());
    }

    @Test
    void aLongPageNumberArrayIsReadWhole() {
        driver.start(FEATURES, 4);
        long[] pfns = new long[1500];
        java.util.Arrays.fill(pfns, 0xffff_ffffL);
        pfns[pfns.length - 1] = VICTIM >>> 12;
        fill(VICTIM, 1);
        sendPfns(VirtioBalloon.INFLATE_QUEUE, pfns);
        assertNotNull(driver.takeUsed(VirtioBalloon.INFLATE_QUEUE));
        assertEquals(4096, memory.discardedBytes(), "the page named past the first 4 KiB of the array");
    }

    @Test
    void withoutStatisticsTheReportingQueueMovesDown() {
        driver.start(VirtioMmio.F_VERSION_1 | VirtioBalloon.F_REPORTING, 3);
        fill(VICTIM, 1);
        driver.descriptor(2, 0, VICTIM, 4096, GuestDriver.F_WRITE, 0);
        driver.offer(2, 0);
        assertNotNull(driver.takeUsed(2));
        assertEquals(4096, memory.discardedBytes());
    }

    @Test
    void aResetEmptiesTheBalloonAndClosingDetachesIt() {
        driver.start(FEATURES, 4);
        driver.setReg(0x104, 10);
        driver.setReg(0x70, 0);
        assertEquals(0, balloon.balloonedBytes());
        assertFalse(context.interrupted());
        transport.close();
        assertEquals(1, detached.size());
        assertSame(balloon, detached.getFirst());
    }
}
