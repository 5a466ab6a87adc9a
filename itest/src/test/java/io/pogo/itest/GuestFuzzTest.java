package io.pogo.itest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pogo.api.vm.DeviceRequest;
import io.pogo.api.vm.Firmware;
import io.pogo.api.vm.VmConfig;
import io.pogo.api.vm.VmInfo;
import io.pogo.api.vm.VmManager;
import io.pogo.api.vm.VmState;
import io.pogo.launcher.PogoFramework;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The guest-side fuzzer (guests/fuzz) on a VM with a disk and a NIC: random accesses to every device window and
 * random user-mode code, from the seed {@code -Dpogo.fuzz.seed} (a fixed one by default). The host takes no harm:
 * the VM ends stopped by the guest (or failed for a reason a guest could cause, never a host exception), the disk
 * is byte for byte what it was (the fuzzer never makes a valid request), and the heap has not grown past a bound.
 */
@Timeout(300)
class GuestFuzzTest {

    private static final String SEED_PROPERTY = "pogo.fuzz.seed";
    private static final long FIXED_SEED = 20261114;
    /** "POGOSEED": the guest's seed is the word after it. */
    private static final long SEED_MARKER = 0x4445_4553_4547_4f50L;
    private static final long HEAP_GROWTH_BOUND = 256L << 20;
    private static final Pattern HOST_EXCEPTION = Pattern.compile("\\b(java|jdk|sun)\\.[a-z]|\\w(Exception|Error)\\b");

    @TempDir
    Path dir;

    @Test
    void fuzzingGuestLeavesTheHostAndTheDiskIntact() throws Exception {
        long seed = Long.parseLong(System.getProperty(SEED_PROPERTY, Long.toString(FIXED_SEED)));
        String reproduce = " (seed " + seed + "; reproduce: mvn -B -o -ntp verify -pl itest -am "
                + "-Dsurefire.failIfNoSpecifiedTests=false -Dtest=GuestFuzzTest -D" + SEED_PROPERTY + "=" + seed + ")";
        Path kernel = seeded(seed);
        Path disk = dir.resolve("disk.img");
        byte[] known = new byte[1 << 20];
        for (int i = 0; i < known.length; i++) {
            known[i] = (byte) (i * 7 + 3);
        }
        Files.write(disk, known);

        try (PogoFramework framework = VmLifecycleTest.bootFramework(Map.of())) {
            VmManager vms = framework.awaitService(VmManager.class);
            long heapBefore = heapAfterCollection();
            vms.create(new VmConfig("fuzz", 1, 128L << 20, new Firmware.None(), kernel, null, "", List.of(
                    new DeviceRequest("virtio-blk", Map.of("file", disk.toString())),
                    new DeviceRequest("virtio-net", Map.of("switch", "fuzz0")))));
            vms.start("fuzz");
            VmInfo end = vms.awaitTermination("fuzz", Duration.ofSeconds(240)).orElseThrow(
                    () -> new AssertionError("the fuzzer did not finish" + reproduce));
            String transcript = vms.console("fuzz").transcript();
            long heapGrowth = heapAfterCollection() - heapBefore;

            if (end.state() == VmState.FAILED) {
                assertFalse(HOST_EXCEPTION.matcher(end.failure()).find(),
                        "a host exception ended the VM: " + end.failure() + reproduce);
            } else {
                assertEquals(VmState.STOPPED, end.state(), end + reproduce);
                assertEquals(0, end.exitStatus(), transcript + reproduce);
                assertTrue(transcript.contains("fuzz done"), transcript + reproduce);
            }
            assertArrayEquals(known, Files.readAllBytes(disk), "the disk changed" + reproduce);
            assertTrue(heapGrowth < HEAP_GROWTH_BOUND, "the heap grew by " + heapGrowth + " bytes" + reproduce);
            vms.destroy("fuzz");
        }
    }

    /** A copy of the fuzzer with {@code seed} in the word after its marker. */
    private Path seeded(long seed) throws IOException {
        byte[] elf = Files.readAllBytes(Guests.elf("fuzz.elf"));
        ByteBuffer bytes = ByteBuffer.wrap(elf).order(ByteOrder.LITTLE_ENDIAN);
        for (int at = 0; at + 16 <= elf.length; at++) {
            if (bytes.getLong(at) == SEED_MARKER) {
                bytes.putLong(at + 8, seed);
                Path copy = dir.resolve("fuzz-" + seed + ".elf");
                Files.write(copy, elf);
                return copy;
            }
        }
        throw new AssertionError("no seed marker in fuzz.elf");
    }

    private static long heapAfterCollection() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
