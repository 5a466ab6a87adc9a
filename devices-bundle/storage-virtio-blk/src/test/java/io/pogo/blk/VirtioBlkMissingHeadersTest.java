package io.pogo.blk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

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

/**
 * A request with fewer than 16 device-readable bytes for its header, or no device-writable byte for its status, is
 * a broken driver: as QEMU's virtio_blk_handle_request does ("virtio-blk missing headers", "outhdr too short"), the
 * device is failed (DEVICE_NEEDS_RESET) rather than the request completed, and the disk is untouched. (A header
 * split over several descriptors is fine, as in QEMU.)
 */
class VirtioBlkMissingHeadersTest {

    private static final long HEADER = GuestDriver.RAM + 0x30000;
    private static final long DATA = GuestDriver.RAM + 0x31000;
    private static final long STATUS = GuestDriver.RAM + 0x38000;
    private static final int STATUS_REGISTER = 0x70;
    private static final int NEEDS_RESET = 0x40;
    private static final long FEATURES = VirtioMmio.F_VERSION_1 | VirtioBlk.F_FLUSH;

    @TempDir
    Path dir;
    private final SegmentMemory memory = new SegmentMemory(GuestDriver.RAM, 1 << 20);

    private Path image() throws IOException {
        byte[] bytes = new byte[8 * 512];
        Arrays.fill(bytes, (byte) 0x3c);
        Path image = dir.resolve("disk.img");
        Files.write(image, bytes);
        return image;
    }

    /**
     * A request for sector 1: a header descriptor of {@code headerLength} bytes, 512 data bytes (device-writable
     * for a read), and a status descriptor of {@code statusLength} bytes, or none when it is negative.
     */
    private void offer(GuestDriver driver, int type, int headerLength, int statusLength) {
        driver.put(HEADER, ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putInt(0, type).putLong(8, 1)
                .array());
        byte[] data = new byte[512];
        Arrays.fill(data, (byte) 0x77);
        driver.put(DATA, data);
        driver.put(STATUS, new byte[] {(byte) 0xff});
        int dataFlags = (type == VirtioBlk.T_IN ? GuestDriver.F_WRITE : 0) | (statusLength < 0 ? 0 : GuestDriver.F_NEXT);
        driver.descriptor(0, 0, HEADER, headerLength, GuestDriver.F_NEXT, 1);
        driver.descriptor(0, 1, DATA, 512, dataFlags, 2);
        if (statusLength >= 0) {
            driver.descriptor(0, 2, STATUS, statusLength, GuestDriver.F_WRITE, 0);
        }
        driver.offer(0, 0);
    }

    private void assertFailedUntouched(int type, int headerLength, int statusLength) throws IOException {
        Path file = image();
        byte[] before = Files.readAllBytes(file);
        Device device = new VirtioBlkFactory().create(new TestContext(memory, Map.of("file", file.toString())));
        ((HostResources) device).acquire();
        GuestDriver driver = new GuestDriver(device, memory);
        driver.start(FEATURES, 1);

        offer(driver, type, headerLength, statusLength);

        assertEquals(NEEDS_RESET, driver.reg(STATUS_REGISTER) & NEEDS_RESET, "DEVICE_NEEDS_RESET");
        assertNull(driver.takeUsed(0), "the request is not completed");
        assertEquals((byte) 0xff, driver.bytes(STATUS, 1)[0], "no status written");
        assertArrayEquals(before, Files.readAllBytes(file), "the disk is untouched");

        driver.start(FEATURES, 1);
        offer(driver, VirtioBlk.T_OUT, 16, 1);
        assertEquals(VirtioBlk.S_OK, driver.bytes(STATUS, 1)[0], "after a reset the device serves again");
        device.close();
    }

    @Test
    void headerShorterThanSixteenBytesFailsTheDevice() throws IOException {
        assertFailedUntouched(VirtioBlk.T_IN, 8, 1);
    }

    @Test
    void emptyStatusDescriptorFailsTheDevice() throws IOException {
        assertFailedUntouched(VirtioBlk.T_OUT, 16, 0);
    }

    @Test
    void requestWithoutAnyWritableDescriptorFailsTheDevice() throws IOException {
        assertFailedUntouched(VirtioBlk.T_OUT, 16, -1);
    }
}
