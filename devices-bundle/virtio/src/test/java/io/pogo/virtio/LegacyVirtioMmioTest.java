package io.pogo.virtio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pogo.api.device.InterruptLine;
import io.pogo.api.device.MmioWindow;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The legacy (version 1) register file as QEMU 7.2's virtio-mmio presents it with {@code force-legacy=true}; the
 * values expected are those a probe guest read from QEMU.
 */
class LegacyVirtioMmioTest {

    private static final long DATA = GuestDriver.RAM + 0x20000;
    private static final long RAM_SIZE = 1 << 20;

    private final SegmentMemory memory = new SegmentMemory(GuestDriver.RAM, RAM_SIZE);
    private final ReversingDevice device = new ReversingDevice();
    private boolean line;
    private final VirtioMmio transport = new VirtioMmio(memory, new InterruptLine() {
        @Override
        public int number() {
            return 8;
        }

        @Override
        public void setLevel(boolean asserted) {
            line = asserted;
        }
    }, new MmioWindow(0x1000_8000L, 0x1000), device, TransportVersion.LEGACY);
    private final GuestDriver driver = new GuestDriver(transport, memory);

    /** Offers "hello" and a writable buffer on queue 0 and checks the device answered through the used ring. */
    private void assertRoundTrip() {
        driver.put(DATA, "hello".getBytes(StandardCharsets.US_ASCII));
        driver.descriptor(0, 0, DATA, 5, GuestDriver.F_NEXT, 1);
        driver.descriptor(0, 1, DATA + 0x100, 5, GuestDriver.F_WRITE, 0);
        driver.offer(0, 0);
        assertArrayEquals(new long[] {0, 5}, driver.takeUsed(0));
        assertEquals("olleh", new String(driver.bytes(DATA + 0x100, 5), StandardCharsets.US_ASCII));
    }

    @Test
    void identifiesItselfAsVersion1WithoutVirtio1Features() {
        assertEquals(0x74726976, driver.reg(0x000));
        assertEquals(1, driver.reg(0x004));
        assertEquals(42, driver.reg(0x008));
        assertEquals(0x554d4551, driver.reg(0x00c));
        assertEquals((1 << 28) | (1 << 3), driver.reg(0x010));
        driver.setReg(0x14, 1);
        assertEquals(0, driver.reg(0x010), "no feature word 1: no VERSION_1");
        driver.setReg(0x30, 0);
        assertEquals(Virtqueue.MAX_SIZE, driver.reg(0x034));
        assertEquals(0x5678, transport.read(0x100, 2), "configuration space in guest (little-endian) order");
    }

    @Test
    void modernAndWriteOnlyRegistersReadZero() {
        driver.startLegacy(0, 1);
        for (int offset : new int[] {0x014, 0x020, 0x024, 0x028, 0x030, 0x038, 0x03c, 0x044, 0x050, 0x064, 0x080,
                0x084, 0x090, 0x094, 0x0a0, 0x0a4, 0x0ac, 0x0b8, 0x0fc}) {
            assertEquals(0, driver.reg(offset), "register 0x%03x".formatted(offset));
        }
        assertEquals(-1, driver.reg(0x0b0), "no shared memory region, as QEMU says");
        assertEquals(-1, driver.reg(0x0b4));
    }

    @Test
    void ringsLieContiguouslyFromThePfnWithTheUsedRingOnTheNextPage() {
        driver.startLegacy(0, 1);
        assertEquals(7, driver.reg(0x70), "DRIVER_OK without FEATURES_OK");
        assertEquals(GuestDriver.descriptors(0) / GuestDriver.PAGE, driver.reg(0x040));
        assertEquals(1, device.activations);
        assertRoundTrip();
        assertEquals(1, memory.load(GuestDriver.descriptors(0) + GuestDriver.PAGE + 2, 2), "used index");
        assertTrue(line);
        assertEquals(1, driver.reg(0x60));
        driver.setReg(0x64, 1);
        assertEquals(0, driver.reg(0x60));
        assertFalse(line);
    }

    /** QEMU puts the used ring right after avail.ring[num], without room for used_event (Linux's vring_init adds it). */
    @Test
    void smallQueueAlignPutsTheUsedRingWhereQemuDoes() {
        driver.startLegacy(0, 1);
        driver.setReg(0x3c, 4);
        long table = GuestDriver.descriptors(0);
        long used = table + 16L * GuestDriver.QUEUE_SIZE + 4 + 2L * GuestDriver.QUEUE_SIZE;
        assertEquals(table + 148, used);
        long available = driver.available(0);
        memory.store(table, 8, DATA);
        memory.store(table + 8, 4, 4);
        memory.store(table + 12, 2, GuestDriver.F_WRITE);
        memory.store(available + 4, 2, 0);
        memory.store(available + 2, 2, 1);
        driver.setReg(0x50, 0);
        assertEquals(1, memory.load(used + 2, 2));
        assertEquals(0, memory.load(used + 4, 4), "used element id");
    }

    @Test
    void queueNumAfterThePfnLaysTheRingsOutAgain() {
        driver.startLegacy(0, 1);
        driver.setReg(0x30, 0);
        driver.setReg(0x38, 16);
        long table = GuestDriver.descriptors(0);
        long available = table + 16 * 16;
        memory.store(table, 8, DATA);
        memory.store(table + 8, 4, 4);
        memory.store(table + 12, 2, GuestDriver.F_WRITE);
        memory.store(available + 4, 2, 0);
        memory.store(available + 2, 2, 1);
        driver.setReg(0x50, 0);
        assertEquals(1, memory.load(table + GuestDriver.PAGE + 2, 2), "used index on the page after the table");
    }

    /** xv6-riscv's legacy virtio_disk_init sets DRIVER_OK first and configures the queue afterwards. */
    @Test
    void queueSetUpAfterDriverOkServesRequests() {
        driver.setReg(0x70, 1);
        driver.setReg(0x70, 3);
        driver.setReg(0x20, driver.reg(0x010));
        driver.setReg(0x70, 11);
        driver.setReg(0x70, 15);
        assertEquals(15, driver.reg(0x70), "a legacy driver's FEATURES_OK is just kept");
        driver.setReg(0x28, GuestDriver.PAGE);
        driver.setReg(0x30, 0);
        driver.setReg(0x38, GuestDriver.QUEUE_SIZE);
        driver.setReg(0x40, GuestDriver.descriptors(0) / GuestDriver.PAGE);
        driver.useLegacyRings();
        assertRoundTrip();
    }

    @Test
    void featuresAreTakenAsWrittenCutDownToTheOffer() {
        driver.setReg(0x70, 3);
        driver.setReg(0x24, 1);
        driver.setReg(0x20, 1);
        driver.setReg(0x24, 0);
        driver.setReg(0x20, 0xffff_ffffL);
        driver.setReg(0x70, 7);
        assertEquals(ReversingDevice.FEATURE | VirtioMmio.F_INDIRECT_DESC, device.negotiated);
    }

    @Test
    void pageSizeIsItsLowestSetBitAndZeroMeansBytes() {
        driver.startLegacy(0, 1);
        driver.setReg(0x28, 0x3000);
        assertEquals(GuestDriver.descriptors(0) >>> 12, driver.reg(0x040));
        driver.setReg(0x28, 0);
        assertEquals(GuestDriver.descriptors(0), driver.reg(0x040) & 0xffff_ffffL);
        driver.setReg(0x40, GuestDriver.descriptors(0));
        driver.useLegacyRings();
        assertRoundTrip();
    }

    @Test
    void zeroPfnResetsTheDevice() {
        driver.startLegacy(0, 1);
        int resets = device.resets;
        driver.setReg(0x40, 0);
        assertEquals(0, driver.reg(0x70));
        assertEquals(resets + 1, device.resets);
        assertEquals(0, driver.reg(0x040));
    }

    @Test
    void guestPageSizeSurvivesAReset() {
        driver.setReg(0x28, GuestDriver.PAGE);
        driver.setReg(0x70, 0);
        driver.setReg(0x70, 7);
        driver.setReg(0x30, 0);
        driver.setReg(0x38, GuestDriver.QUEUE_SIZE);
        driver.setReg(0x40, GuestDriver.descriptors(0) / GuestDriver.PAGE);
        assertEquals(GuestDriver.descriptors(0) / GuestDriver.PAGE, driver.reg(0x040));
        driver.useLegacyRings();
        assertRoundTrip();
    }

    /** As QEMU: a broken legacy device keeps its status (there is no NEEDS_RESET bit) and serves nothing. */
    private void assertBrokenQuietly(String reason) {
        assertEquals(7, driver.reg(0x70), reason);
        assertEquals(0, driver.reg(0x60));
        assertFalse(line);
        assertTrue(transport.failure().contains(reason), transport.failure());
        driver.descriptor(0, 0, DATA, 4, GuestDriver.F_WRITE, 0);
        driver.offer(0, 0);
        assertNull(driver.takeUsed(0), "nothing served");
    }

    /** After any of the bad configurations, a reset and a proper setup make the device work again. */
    private void assertRecovers() {
        driver.startLegacy(0, 1);
        assertEquals("", transport.failure());
        assertRoundTrip();
    }

    private void badQueue(long pageSize, long queueNum, long align, long pfn) {
        driver.startLegacy(0, 1);
        driver.setReg(0x28, pageSize);
        driver.setReg(0x30, 0);
        driver.setReg(0x38, queueNum);
        driver.setReg(0x3c, align);
        driver.setReg(0x40, pfn);
    }

    @Test
    void pfnOutsideRamBreaksTheDeviceQuietly() {
        badQueue(GuestDriver.PAGE, GuestDriver.QUEUE_SIZE, GuestDriver.PAGE, (GuestDriver.RAM + RAM_SIZE) >>> 12);
        assertEquals((GuestDriver.RAM + RAM_SIZE) >>> 12, driver.reg(0x040), "the PFN reads back, as in QEMU");
        assertBrokenQuietly("outside guest RAM");
        assertRecovers();
    }

    @Test
    void ringsOverMmioBreakTheDeviceQuietly() {
        badQueue(GuestDriver.PAGE, GuestDriver.QUEUE_SIZE, GuestDriver.PAGE, 0x1000_8000L >>> 12);
        assertBrokenQuietly("outside guest RAM");
        assertRecovers();
    }

    @Test
    void usedRingPushedPastTheEndOfRamByAHugeAlignBreaksTheDevice() {
        badQueue(GuestDriver.PAGE, GuestDriver.QUEUE_SIZE, 0x8000_0000L, GuestDriver.descriptors(0) >>> 12);
        assertBrokenQuietly("outside guest RAM");
        assertRecovers();
    }

    @Test
    void pageSizeZeroTurnsThePfnIntoAByteAddressOutsideRam() {
        badQueue(0, GuestDriver.QUEUE_SIZE, GuestDriver.PAGE, GuestDriver.descriptors(0) >>> 12);
        assertBrokenQuietly("outside guest RAM");
        assertRecovers();
    }

    @Test
    void hugeQueueNumBreaksTheDevice() {
        badQueue(GuestDriver.PAGE, 0x8000_0000L, GuestDriver.PAGE, GuestDriver.descriptors(0) >>> 12);
        assertBrokenQuietly("not a power of two");
        assertRecovers();
        badQueue(GuestDriver.PAGE, 0x1_0000, GuestDriver.PAGE, GuestDriver.descriptors(0) >>> 12);
        assertBrokenQuietly("not a power of two");
    }

    @Test
    void queueNumThatIsNotAPowerOfTwoBreaksTheDevice() {
        badQueue(GuestDriver.PAGE, 6, GuestDriver.PAGE, GuestDriver.descriptors(0) >>> 12);
        assertBrokenQuietly("not a power of two");
        assertRecovers();
    }

    @Test
    void largestPfnAndPageSizeDoNotOverflow() {
        badQueue(0x8000_0000L, GuestDriver.QUEUE_SIZE, 0xffff_ffffL, 0xffff_ffffL);
        assertBrokenQuietly("outside guest RAM");
        assertRecovers();
    }

    @Test
    void modernQueueRegistersAreIgnored() {
        driver.setReg(0x70, 7);
        driver.setReg(0x30, 0);
        driver.setReg(0x38, GuestDriver.QUEUE_SIZE);
        driver.setReg(0x80, GuestDriver.descriptors(0));
        driver.setReg(0x90, driver.available(0));
        driver.setReg(0xa0, driver.used(0));
        driver.setReg(0x44, 1);
        driver.descriptor(0, 0, DATA, 4, GuestDriver.F_WRITE, 0);
        driver.offer(0, 0);
        assertNull(driver.takeUsed(0), "QueueReady does not make a legacy queue live");
        assertEquals("", transport.failure());
    }

    @Test
    void legacyOptionSelectsTheTransport() {
        assertEquals(TransportVersion.LEGACY, TransportVersion.of("--drive", Map.of("legacy", "on")));
        assertEquals(TransportVersion.MODERN, TransportVersion.of("--drive", Map.of("legacy", "off")));
        assertEquals(TransportVersion.MODERN, TransportVersion.of("--drive", Map.of()));
        assertEquals("--nic legacy=maybe: expected on or off", assertThrows(IllegalArgumentException.class,
                () -> TransportVersion.of("--nic", Map.of("legacy", "maybe"))).getMessage());
        VirtioMmio fromOptions = new VirtioMmio(new TestContext(memory, Map.of("legacy", "on")), new ReversingDevice());
        assertEquals(1, fromOptions.read(0x004, 4));
    }
}
