package io.pogo.blk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pogo.api.device.Device;
import io.pogo.api.state.HostResources;
import io.pogo.virtio.GuestDriver;
import io.pogo.virtio.SegmentMemory;
import io.pogo.virtio.TestContext;
import io.pogo.virtio.VirtioMmio;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** virtio-blk driven as Linux's virtio_blk drives it: header, data and status descriptors on queue 0. */
class VirtioBlkTest {

    private static final long HEADER = GuestDriver.RAM + 0x30000;
    private static final long DATA = GuestDriver.RAM + 0x31000;
    private static final long STATUS = GuestDriver.RAM + 0x38000;
    private static final long FEATURES = VirtioMmio.F_VERSION_1 | VirtioBlk.F_FLUSH | VirtioBlk.F_BLK_SIZE;

    @TempDir
    Path dir;
    private final SegmentMemory memory = new SegmentMemory(GuestDriver.RAM, 1 << 20);

    private Path image(int sectors) throws IOException {
        byte[] bytes = new byte[sectors * 512];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (i / 512 + i);
        }
        Path image = dir.resolve("disk.img");
        Files.write(image, bytes);
        return image;
    }

    /** The device as the monitor hands it to a VM that starts: built, then its image acquired. */
    private Device attach(Map<String, String> options) {
        Device device = new VirtioBlkFactory().create(new TestContext(memory, options));
        ((HostResources) device).acquire();
        return device;
    }

    private GuestDriver started(Device device) {
        GuestDriver driver = new GuestDriver(device, memory);
        driver.start(FEATURES, 1);
        return driver;
    }

    /** Sends one request and returns its status byte, checking the used length. */
    private int request(GuestDriver driver, int type, long sector, int dataLength, boolean deviceWrites) {
        byte[] header = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putInt(0, type).putLong(8, sector)
                .array();
        driver.put(HEADER, header);
        driver.put(STATUS, new byte[] {(byte) 0xff});
        driver.descriptor(0, 0, HEADER, 16, GuestDriver.F_NEXT, 1);
        int statusDescriptor = 1;
        if (dataLength > 0) {
            driver.descriptor(0, 1, DATA, dataLength, GuestDriver.F_NEXT | (deviceWrites ? GuestDriver.F_WRITE : 0), 2);
            statusDescriptor = 2;
        }
        driver.descriptor(0, statusDescriptor, STATUS, 1, GuestDriver.F_WRITE, 0);
        driver.offer(0, 0);
        long[] used = driver.takeUsed(0);
        int status = driver.bytes(STATUS, 1)[0];
        assertEquals(0, used[0]);
        if (status == VirtioBlk.S_OK && deviceWrites) {
            assertEquals(dataLength + 1, used[1]);
        } else {
            assertTrue(used[1] >= 1);
        }
        return status;
    }

    @Test
    void configReportsCapacityBlockSizeAndFeatures() throws IOException {
        GuestDriver driver = new GuestDriver(attach(Map.of("file", image(8).toString())), memory);
        assertEquals(2, driver.reg(0x008));
        assertEquals(8, driver.reg(0x100));
        assertEquals(512, driver.reg(0x100 + 20));
        driver.setReg(0x14, 0);
        long features = driver.reg(0x010) & 0xffff_ffffL;
        assertEquals(VirtioBlk.F_FLUSH, features & VirtioBlk.F_FLUSH);
        assertEquals(0, features & VirtioBlk.F_RO);
    }

    @Test
    void readsWritesAndFlushesRoundTripToTheImage() throws IOException {
        Path file = image(8);
        byte[] original = Files.readAllBytes(file);
        Device device = attach(Map.of("file", file.toString()));
        GuestDriver driver = started(device);

        assertEquals(VirtioBlk.S_OK, request(driver, VirtioBlk.T_IN, 2, 1024, true));
        assertArrayEquals(Arrays.copyOfRange(original, 1024, 2048), driver.bytes(DATA, 1024));

        byte[] written = new byte[512];
        Arrays.fill(written, (byte) 0x5a);
        driver.put(DATA, written);
        assertEquals(VirtioBlk.S_OK, request(driver, VirtioBlk.T_OUT, 7, 512, false));
        assertEquals(VirtioBlk.S_OK, request(driver, VirtioBlk.T_FLUSH, 0, 0, false));
        byte[] after = Files.readAllBytes(file);
        assertArrayEquals(written, Arrays.copyOfRange(after, 7 * 512, 8 * 512));
        assertArrayEquals(Arrays.copyOf(original, 7 * 512), Arrays.copyOf(after, 7 * 512));

        driver.put(DATA, new byte[512]);
        assertEquals(VirtioBlk.S_OK, request(driver, VirtioBlk.T_IN, 7, 512, true));
        assertArrayEquals(written, driver.bytes(DATA, 512));
        device.close();
    }

    @Test
    void requestsPastTheEndFailWithIoErrorAndTouchNothing() throws IOException {
        Path file = image(4);
        byte[] original = Files.readAllBytes(file);
        GuestDriver driver = started(attach(Map.of("file", file.toString())));
        assertEquals(VirtioBlk.S_IOERR, request(driver, VirtioBlk.T_IN, 3, 1024, true));
        assertEquals(VirtioBlk.S_IOERR, request(driver, VirtioBlk.T_OUT, 4, 512, false));
        assertEquals(VirtioBlk.S_IOERR, request(driver, VirtioBlk.T_OUT, -1L, 512, false));
        assertEquals(VirtioBlk.S_UNSUPP, request(driver, 11, 0, 0, false));
        assertArrayEquals(original, Files.readAllBytes(file));
    }

    @Test
    void readOnlyDriveOffersRoAndFailsWrites() throws IOException {
        Path file = image(4);
        byte[] original = Files.readAllBytes(file);
        Device device = attach(Map.of("file", file.toString(), "readonly", "on"));
        GuestDriver driver = new GuestDriver(device, memory);
        driver.setReg(0x14, 0);
        assertEquals(VirtioBlk.F_RO, driver.reg(0x010) & VirtioBlk.F_RO);
        driver.start(FEATURES | VirtioBlk.F_RO, 1);
        assertEquals(VirtioBlk.S_IOERR, request(driver, VirtioBlk.T_OUT, 0, 512, false));
        assertEquals(VirtioBlk.S_OK, request(driver, VirtioBlk.T_IN, 0, 512, true));
        assertArrayEquals(Arrays.copyOf(original, 512), driver.bytes(DATA, 512));
        assertArrayEquals(original, Files.readAllBytes(file));
    }

    @Test
    void getIdNamesTheImage() throws IOException {
        GuestDriver driver = started(attach(Map.of("file", image(1).toString())));
        assertEquals(VirtioBlk.S_OK, request(driver, VirtioBlk.T_GET_ID, 0, 20, true));
        assertEquals("disk.img", new String(driver.bytes(DATA, 8)));
        assertEquals(0, driver.bytes(DATA + 8, 1)[0]);
    }

    @Test
    void secondWriterOfTheSameImageIsRefusedUntilTheFirstCloses() throws IOException {
        Path file = image(1);
        Device first = attach(Map.of("file", file.toString()));
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> attach(Map.of("file", file.toString())));
        assertEquals("--drive file=" + file + ": the image is in use by another VM or process", refused.getMessage());
        first.close();
        attach(Map.of("file", file.toString())).close();
    }

    @Test
    void requestsWaitUntilTheImageIsAcquiredAndWhileItIsReleased() throws IOException {
        Path file = image(8);
        byte[] original = Files.readAllBytes(file);
        Device device = new VirtioBlkFactory().create(new TestContext(memory, Map.of("file", file.toString())));
        HostResources image = (HostResources) device;
        GuestDriver driver = started(device);

        assertReadWaitsUntilAcquired(driver, image, 1, original);
        image.release();
        assertReadWaitsUntilAcquired(driver, image, 2, original);
        device.close();
    }

    /** A read of {@code sector} offered while the image is not held is served only once it is acquired. */
    private static void assertReadWaitsUntilAcquired(GuestDriver driver, HostResources image, long sector,
            byte[] original) {
        offerRead(driver, sector);
        assertNull(driver.takeUsed(0), "sector " + sector + " served while the image was not held");
        image.acquire();
        assertEquals(0, driver.takeUsed(0)[0], "sector " + sector + " served once acquired");
        assertArrayEquals(Arrays.copyOfRange(original, (int) sector * 512, (int) sector * 512 + 512),
                driver.bytes(DATA, 512));
    }

    private static void offerRead(GuestDriver driver, long sector) {
        driver.put(HEADER, ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putInt(0, VirtioBlk.T_IN)
                .putLong(8, sector).array());
        driver.descriptor(0, 0, HEADER, 16, GuestDriver.F_NEXT, 1);
        driver.descriptor(0, 1, DATA, 512, GuestDriver.F_NEXT | GuestDriver.F_WRITE, 2);
        driver.descriptor(0, 2, STATUS, 1, GuestDriver.F_WRITE, 0);
        driver.offer(0, 0);
    }

    @Test
    void badOptionsAreOneLineErrors() throws IOException {
        Path file = image(1);
        assertEquals("--drive file=" + dir.resolve("missing.img") + ": no such file",
                assertThrows(IllegalArgumentException.class,
                        () -> attach(Map.of("file", dir.resolve("missing.img").toString()))).getMessage());
        assertEquals("--drive: unknown option 'cache' (known: file, readonly, legacy)",
                assertThrows(IllegalArgumentException.class,
                        () -> attach(Map.of("file", file.toString(), "cache", "none"))).getMessage());
        assertEquals("--drive readonly=maybe: expected on or off", assertThrows(IllegalArgumentException.class,
                () -> attach(Map.of("file", file.toString(), "readonly", "maybe"))).getMessage());
        assertEquals("--drive legacy=maybe: expected on or off", assertThrows(IllegalArgumentException.class,
                () -> attach(Map.of("file", file.toString(), "legacy", "maybe"))).getMessage());
        assertEquals("--drive: file=PATH is required",
                assertThrows(IllegalArgumentException.class, () -> attach(Map.of())).getMessage());
        attach(Map.of("file", file.toString())).close();
    }

    /** A legacy driver (no VERSION_1, rings from QueuePFN) gets the same disk; the device does not know. */
    @Test
    void legacyTransportServesTheSameRequests() throws IOException {
        Path file = image(8);
        byte[] original = Files.readAllBytes(file);
        Device device = attach(Map.of("file", file.toString(), "legacy", "on"));
        GuestDriver driver = new GuestDriver(device, memory);
        assertEquals(1, driver.reg(0x004));
        assertEquals(8, driver.reg(0x100));
        driver.startLegacy(VirtioBlk.F_FLUSH, 1);

        assertEquals(VirtioBlk.S_OK, request(driver, VirtioBlk.T_IN, 1, 512, true));
        assertArrayEquals(Arrays.copyOfRange(original, 512, 1024), driver.bytes(DATA, 512));
        byte[] written = new byte[512];
        Arrays.fill(written, (byte) 0xa5);
        driver.put(DATA, written);
        assertEquals(VirtioBlk.S_OK, request(driver, VirtioBlk.T_OUT, 3, 512, false));
        assertEquals(VirtioBlk.S_OK, request(driver, VirtioBlk.T_FLUSH, 0, 0, false));
        assertArrayEquals(written, Arrays.copyOfRange(Files.readAllBytes(file), 3 * 512, 4 * 512));
        device.close();
    }
}
