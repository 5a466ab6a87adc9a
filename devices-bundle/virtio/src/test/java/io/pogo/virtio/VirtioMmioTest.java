package io.pogo.virtio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pogo.api.device.InterruptLine;
import io.pogo.api.device.MmioWindow;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class VirtioMmioTest {

    private static final long DATA = GuestDriver.RAM + 0x20000;
    private static final long FEATURES = VirtioMmio.F_VERSION_1 | VirtioMmio.F_INDIRECT_DESC;

    private final SegmentMemory memory = new SegmentMemory(GuestDriver.RAM, 1 << 20);
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
    }, new MmioWindow(0x1000_8000L, 0x1000), device, TransportVersion.MODERN);
    private final GuestDriver driver = new GuestDriver(transport, memory);

    @Test
    void identifiesItselfAsAModernVirtioMmioDevice() {
        assertEquals(0x74726976, driver.reg(0x000));
        assertEquals(2, driver.reg(0x004));
        assertEquals(42, driver.reg(0x008));
        assertEquals(0x554d4551, driver.reg(0x00c));
        driver.setReg(0x14, 0);
        assertEquals((1 << 28) | (1 << 3), driver.reg(0x010));
        driver.setReg(0x14, 1);
        assertEquals(1, driver.reg(0x010), "VIRTIO_F_VERSION_1");
        driver.setReg(0x14, 2);
        assertEquals(1, driver.reg(0x010), "QEMU takes any nonzero select as word 1");
        driver.setReg(0x30, 0);
        assertEquals(Virtqueue.MAX_SIZE, driver.reg(0x034));
        driver.setReg(0x30, 1);
        assertEquals(0, driver.reg(0x034), "no second queue");
        assertEquals(0x5678, transport.read(0x100, 2));
        assertEquals(-1, driver.reg(0x0b0), "no shared memory region, as QEMU says");
        assertEquals(-1, driver.reg(0x0b4));
    }

    @Test
    void featuresOkIsRefusedForUnofferedBits() {
        driver.setReg(0x70, 3);
        driver.setReg(0x24, 1);
        driver.setReg(0x20, 1 | 2);
        driver.setReg(0x70, 11);
        assertEquals(3, driver.reg(0x70), "bit 33 was not offered");
        driver.setReg(0x20, 1);
        driver.setReg(0x70, 11);
        assertEquals(11, driver.reg(0x70));
    }

    /** xv6-riscv's virtio_disk_init: reads and writes feature word 0 only, then insists on FEATURES_OK. */
    @Test
    void featuresOkWithoutVersion1FromADriverThatWritesOnlyWordZero() {
        driver.setReg(0x70, 0);
        driver.setReg(0x70, 1);
        driver.setReg(0x70, 3);
        long offered = driver.reg(0x010) & 0xffff_ffffL;
        driver.setReg(0x20, offered & ~VirtioMmio.F_INDIRECT_DESC);
        driver.setReg(0x70, 11);
        assertEquals(11, driver.reg(0x70), "FEATURES_OK kept, as QEMU keeps it");
        driver.setReg(0x30, 0);
        driver.setReg(0x38, GuestDriver.QUEUE_SIZE);
        driver.setReg(0x80, GuestDriver.descriptors(0));
        driver.setReg(0x90, driver.available(0));
        driver.setReg(0xa0, driver.used(0));
        driver.setReg(0x44, 1);
        driver.setReg(0x70, 15);
        assertEquals(ReversingDevice.FEATURE, device.negotiated, "no VERSION_1: the device runs without virtio 1.x");

        driver.put(DATA, "disk".getBytes(StandardCharsets.US_ASCII));
        driver.descriptor(0, 0, DATA, 4, GuestDriver.F_NEXT, 1);
        driver.descriptor(0, 1, DATA + 0x100, 4, GuestDriver.F_WRITE, 0);
        driver.offer(0, 0);
        assertArrayEquals(new long[] {0, 4}, driver.takeUsed(0));
        assertEquals("ksid", new String(driver.bytes(DATA + 0x100, 4), StandardCharsets.US_ASCII));
    }

    @Test
    void legacyRegistersAreIgnoredByTheModernTransport() {
        driver.setReg(0x28, GuestDriver.PAGE);
        driver.setReg(0x30, 0);
        driver.setReg(0x40, GuestDriver.descriptors(0) / GuestDriver.PAGE);
        assertEquals(0, driver.reg(0x040));
        assertEquals(0, driver.reg(0x044), "a PFN does not make a modern queue live");
    }

    /** QEMU's virtio_error: without VERSION_1 there is no DEVICE_NEEDS_RESET to set, the device just goes quiet. */
    @Test
    void errorWithoutVersion1SilencesTheDeviceWithoutNeedsReset() {
        driver.start(VirtioMmio.F_INDIRECT_DESC, 1);
        assertEquals(15, driver.reg(0x70));
        driver.descriptor(0, 0, DATA, 4, GuestDriver.F_NEXT, 0);
        driver.offer(0, 0);
        assertEquals(15, driver.reg(0x70));
        assertEquals(0, driver.reg(0x60));
        assertFalse(line);
        assertTrue(transport.failure().contains("loops"), transport.failure());

        driver.descriptor(0, 0, DATA, 4, GuestDriver.F_WRITE, 0);
        driver.offer(0, 0);
        assertNull(driver.takeUsed(0), "quiet until reset");
    }

    @Test
    void chainRoundTripUsedRingAndInterrupt() {
        driver.start(FEATURES, 1);
        driver.put(DATA, "hello".getBytes(StandardCharsets.US_ASCII));
        driver.descriptor(0, 0, DATA, 3, GuestDriver.F_NEXT, 1);
        driver.descriptor(0, 1, DATA + 3, 2, GuestDriver.F_NEXT, 2);
        driver.descriptor(0, 2, DATA + 0x100, 2, GuestDriver.F_WRITE | GuestDriver.F_NEXT, 3);
        driver.descriptor(0, 3, DATA + 0x200, 16, GuestDriver.F_WRITE, 0);
        driver.offer(0, 0);

        assertArrayEquals(new long[] {0, 5}, driver.takeUsed(0));
        assertEquals("ol", new String(driver.bytes(DATA + 0x100, 2), StandardCharsets.US_ASCII));
        assertEquals("leh", new String(driver.bytes(DATA + 0x200, 3), StandardCharsets.US_ASCII));
        assertTrue(line);
        assertEquals(1, driver.reg(0x60));
        driver.setReg(0x64, 1);
        assertEquals(0, driver.reg(0x60));
        assertFalse(line);
    }

    @Test
    void indirectDescriptorTable() {
        driver.start(FEATURES, 1);
        long table = DATA + 0x1000;
        driver.put(DATA, "abc".getBytes(StandardCharsets.US_ASCII));
        driver.descriptor(table, 0, DATA, 3, GuestDriver.F_NEXT, 1);
        driver.descriptor(table, 1, DATA + 0x100, 3, GuestDriver.F_WRITE, 0);
        driver.descriptor(0, 5, table, 32, GuestDriver.F_INDIRECT, 0);
        driver.offer(0, 5);

        assertArrayEquals(new long[] {5, 3}, driver.takeUsed(0));
        assertEquals("cba", new String(driver.bytes(DATA + 0x100, 3), StandardCharsets.US_ASCII));
    }

    @Test
    void noInterruptFlagSuppressesTheInterrupt() {
        driver.start(FEATURES, 1);
        memory.store(driver.available(0), 2, 1);
        driver.descriptor(0, 0, DATA, 4, GuestDriver.F_WRITE, 0);
        driver.offer(0, 0);
        assertArrayEquals(new long[] {0, 0}, driver.takeUsed(0));
        assertFalse(line);
    }

    private void assertNeedsReset(String reason) {
        assertEquals(15 | 0x40, driver.reg(0x70), reason);
        assertEquals(2, driver.reg(0x60) & 2, "configuration change interrupt");
        assertTrue(line);
        assertNull(driver.takeUsed(0), "nothing was completed");
        assertTrue(transport.failure().contains(reason), transport.failure());
    }

    @Test
    void loopingChainNeedsReset() {
        driver.start(FEATURES, 1);
        driver.descriptor(0, 0, DATA, 4, GuestDriver.F_NEXT, 1);
        driver.descriptor(0, 1, DATA, 4, GuestDriver.F_NEXT, 0);
        driver.offer(0, 0);
        assertNeedsReset("loops");
    }

    @Test
    void bufferPastTheEndOfRamNeedsReset() {
        driver.start(FEATURES, 1);
        driver.descriptor(0, 0, GuestDriver.RAM + (1 << 20) - 8, 16, 0, 0);
        driver.offer(0, 0);
        assertNeedsReset("not in guest RAM");
    }

    @Test
    void lengthThatWrapsAroundTheAddressSpaceNeedsReset() {
        driver.start(FEATURES, 1);
        driver.descriptor(0, 0, 0xffff_ffff_ffff_ff00L, 0xffff_ffffL, 0, 0);
        driver.offer(0, 0);
        assertNeedsReset("not in guest RAM");
    }

    @Test
    void chainLongerThanTheLimitNeedsReset() {
        SegmentMemory big = new SegmentMemory(GuestDriver.RAM, 0x500_0000);
        VirtioMmio bigTransport = new VirtioMmio(big, new InterruptLine() {
            @Override
            public int number() {
                return 7;
            }

            @Override
            public void setLevel(boolean asserted) {
            }
        }, new MmioWindow(0x1000_7000L, 0x1000), new ReversingDevice(), TransportVersion.MODERN);
        GuestDriver bigDriver = new GuestDriver(bigTransport, big);
        bigDriver.start(FEATURES, 1);
        bigDriver.descriptor(0, 0, DATA, Virtqueue.MAX_CHAIN_BYTES, GuestDriver.F_NEXT, 1);
        bigDriver.descriptor(0, 1, DATA, 1, 0, 0);
        bigDriver.offer(0, 0);
        assertEquals(0x40, bigDriver.reg(0x70) & 0x40);
        assertTrue(bigTransport.failure().contains("exceeds"), bigTransport.failure());
    }

    @Test
    void descriptorIndexOutsideTheTableNeedsReset() {
        driver.start(FEATURES, 1);
        driver.descriptor(0, 0, DATA, 4, GuestDriver.F_NEXT, GuestDriver.QUEUE_SIZE);
        driver.offer(0, 0);
        assertNeedsReset("outside a table");
    }

    @Test
    void nestedIndirectTableNeedsReset() {
        driver.start(FEATURES, 1);
        long table = DATA + 0x1000;
        driver.descriptor(table, 0, table, 16, GuestDriver.F_INDIRECT, 0);
        driver.descriptor(0, 0, table, 16, GuestDriver.F_INDIRECT, 0);
        driver.offer(0, 0);
        assertNeedsReset("not allowed");
    }

    @Test
    void ringsOutsideRamNeedReset() {
        driver.setReg(0x70, 3);
        driver.setReg(0x24, 1);
        driver.setReg(0x20, 1);
        driver.setReg(0x70, 11);
        driver.setReg(0x30, 0);
        driver.setReg(0x38, 8);
        driver.setReg(0x80, 0x1000);
        driver.setReg(0x44, 1);
        assertEquals(0x40, driver.reg(0x70) & 0x40);
        assertEquals(0, driver.reg(0x44));
    }

    @Test
    void resetAfterAnErrorMakesTheDeviceUsableAgain() {
        driver.start(FEATURES, 1);
        driver.descriptor(0, 0, DATA, 4, GuestDriver.F_NEXT, 0);
        driver.offer(0, 0);
        assertEquals(0x40, driver.reg(0x70) & 0x40);

        driver.start(FEATURES, 1);
        assertEquals(15, driver.reg(0x70));
        assertFalse(line);
        assertEquals("", transport.failure());
        assertTrue(device.resets > 0);
        driver.put(DATA, "xy".getBytes(StandardCharsets.US_ASCII));
        driver.descriptor(0, 0, DATA, 2, GuestDriver.F_NEXT, 1);
        driver.descriptor(0, 1, DATA + 0x100, 2, GuestDriver.F_WRITE, 0);
        driver.offer(0, 0);
        assertArrayEquals(new long[] {0, 2}, driver.takeUsed(0));
        assertEquals("yx", new String(driver.bytes(DATA + 0x100, 2), StandardCharsets.US_ASCII));
    }
}
