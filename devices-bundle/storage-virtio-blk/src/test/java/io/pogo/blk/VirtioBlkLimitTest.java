package io.pogo.blk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pogo.api.allocator.RateGate;
import io.pogo.virtio.GuestDriver;
import io.pogo.virtio.SegmentMemory;
import io.pogo.virtio.TestContext;
import io.pogo.virtio.VirtioMmio;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A request the disk limit holds back is served later, in order, and never dropped. */
class VirtioBlkLimitTest {

    private static final long HEADER = GuestDriver.RAM + 0x30000;
    private static final long DATA = GuestDriver.RAM + 0x31000;
    private static final long STATUS = GuestDriver.RAM + 0x38000;

    @TempDir
    Path dir;
    private final SegmentMemory memory = new SegmentMemory(GuestDriver.RAM, 1 << 20);

    /** A gate that holds every request back (come back in 10 ms) until the test opens it. */
    private static final class Valve implements RateGate {
        final List<Long> asked = new ArrayList<>();
        final BlockingQueue<Long> passed = new ArrayBlockingQueue<>(16);
        private boolean open;

        synchronized void open() {
            open = true;
        }

        @Override
        public synchronized long take(long bytes) {
            asked.add(bytes);
            if (!open) {
                return TimeUnit.MILLISECONDS.toNanos(10);
            }
            passed.add(bytes);
            return 0;
        }
    }

    @Test
    void aHeldReadIsServedWhenItsTokensComeIn() throws Exception {
        byte[] contents = new byte[8 * 512];
        Arrays.fill(contents, (byte) 0x42);
        Path image = dir.resolve("disk.img");
        Files.write(image, contents);
        Valve gate = new Valve();
        VirtioMmio device = new VirtioMmio(new TestContext(memory, Map.of()),
                new VirtioBlk(DiskImage.open(image, false), gate));
        device.acquire();
        GuestDriver driver = new GuestDriver(device, memory);
        driver.start(VirtioMmio.F_VERSION_1, 1);

        driver.put(HEADER, ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putInt(0, VirtioBlk.T_IN).array());
        driver.put(STATUS, new byte[] {(byte) 0xff});
        driver.descriptor(0, 0, HEADER, 16, GuestDriver.F_NEXT, 1);
        driver.descriptor(0, 1, DATA, 1024, GuestDriver.F_NEXT | GuestDriver.F_WRITE, 2);
        driver.descriptor(0, 2, STATUS, 1, GuestDriver.F_WRITE, 0);
        driver.offer(0, 0);
        assertNull(driver.takeUsed(0), "held back");
        driver.setReg(0x50, 0);
        assertNull(driver.takeUsed(0), "a notification while a request is held does not overtake it");
        Thread.sleep(50);
        assertNull(driver.takeUsed(0), "the timer asks again, and the closed gate holds the request still");

        gate.open();
        assertEquals(1024L, gate.passed.poll(30, TimeUnit.SECONDS), "the timer served the held request, charged its data");
        long[] used = null;
        for (int tries = 0; used == null && tries < 3000; tries++) {
            used = driver.takeUsed(0);
            Thread.sleep(10);
        }
        assertNotNull(used);
        assertEquals(1025, used[1]);
        assertEquals(0, driver.bytes(STATUS, 1)[0]);
        assertArrayEquals(Arrays.copyOf(contents, 1024), driver.bytes(DATA, 1024));
        synchronized (gate) {
            assertTrue(gate.passed.isEmpty(), "charged once");
            assertEquals(List.of(1024L), gate.asked.stream().distinct().toList());
        }
        device.close();
    }
}
