package io.pogo.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pogo.api.cpu.ExitKind;
import io.pogo.api.device.Device;
import io.pogo.api.device.DeviceContext;
import io.pogo.api.device.DeviceFactory;
import io.pogo.api.device.DeviceTree;
import io.pogo.api.device.Placement;
import io.pogo.api.vm.DeviceRequest;
import io.pogo.api.vm.Firmware;
import io.pogo.api.vm.VmConfig;
import io.pogo.api.vm.VmInfo;
import io.pogo.api.vm.VmManager;
import io.pogo.api.vm.VmState;
import io.pogo.launcher.PogoFramework;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;

/**
 * The whole monitor in a real Felix with SCR: every Pogo bundle from the distribution, the API shared with this
 * test through the system bundle. VMs are driven through the {@link VmManager} service only.
 */
@Timeout(60)
class VmLifecycleTest {

    private static PogoFramework framework;
    private static VmManager vms;

    /** Every Pogo bundle but the shell and FileInstall, the API shared with the tests through the system bundle. */
    static PogoFramework bootFramework(Map<String, String> properties) throws Exception {
        Map<String, String> all = new java.util.HashMap<>(properties);
        all.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, apiPackages());
        return PogoFramework.boot(Guests.bundles(), all,
                jar -> !List.of("api.jar", "org.apache.felix.gogo.shell.jar", "org.apache.felix.fileinstall.jar")
                        .contains(jar.getFileName().toString()));
    }

    /** The API bundle's own Export-Package header, so the system bundle exports exactly what it would. */
    private static String apiPackages() throws java.io.IOException {
        try (java.util.jar.JarFile api = new java.util.jar.JarFile(Guests.bundles().resolve("api.jar").toFile())) {
            return api.getManifest().getMainAttributes().getValue(Constants.EXPORT_PACKAGE);
        }
    }

    @BeforeAll
    static void boot() throws Exception {
        framework = bootFramework(Map.of());
        vms = framework.awaitService(VmManager.class);
    }

    @AfterAll
    static void shutdown() {
        framework.close();
    }

    private static VmConfig bareMetal(String name, Path kernel) {
        return new VmConfig(name, 1, 64L << 20, new Firmware.None(), kernel, null, "", List.of());
    }

    @Test
    void helloGuestGreetsAndPowersOffThroughTheFinisher() throws InterruptedException {
        vms.create(bareMetal("hello", Guests.elf("hello.elf")));
        vms.start("hello");
        VmInfo end = vms.awaitTermination("hello", Duration.ofSeconds(30)).orElseThrow();

        assertEquals(VmState.STOPPED, end.state(), end.failure());
        assertEquals(0, end.exitStatus());
        assertTrue(vms.console("hello").transcript().contains("hello from guest\r\n"),
                vms.console("hello").transcript());
        Map<ExitKind, Long> exits = vms.exitCounts("hello");
        assertTrue(exits.get(ExitKind.CSR_ACCESS) >= 2, exits.toString());
        assertTrue(exits.get(ExitKind.MMIO_LOAD) > 0 && exits.get(ExitKind.MMIO_STORE) > 0, exits.toString());
        assertTrue(end.instructionsRetired() > 100, end.toString());
        vms.destroy("hello");
    }

    @Test
    void runningVmIsPausedResumedAndStopped() throws InterruptedException {
        VmInfo created = vms.create(bareMetal("echo", Guests.elf("echo.elf")));
        assertEquals(VmState.CREATED, created.state());
        vms.start("echo");
        awaitTranscript("echo", "echo ready");

        vms.console("echo").type("ping\r".getBytes(StandardCharsets.US_ASCII));
        awaitTranscript("echo", "PING\r");

        vms.pause("echo");
        long pausedAt = vms.info("echo").orElseThrow().instructionsRetired();
        assertEquals(VmState.PAUSED, vms.info("echo").orElseThrow().state());
        vms.console("echo").type("x".getBytes(StandardCharsets.US_ASCII));
        Thread.sleep(100);
        assertEquals(pausedAt, vms.info("echo").orElseThrow().instructionsRetired(), "a paused VM executes nothing");
        assertFalse(vms.console("echo").transcript().contains("X"), "a paused VM does not echo");

        vms.resume("echo");
        awaitTranscript("echo", "X");
        assertTrue(vms.info("echo").orElseThrow().instructionsRetired() > pausedAt);

        vms.stop("echo");
        VmInfo stopped = vms.info("echo").orElseThrow();
        assertEquals(VmState.STOPPED, stopped.state());
        assertEquals(-1, stopped.exitStatus(), "stopped by the user, not by the guest");
        assertThrows(IllegalStateException.class, () -> vms.start("echo"));
        vms.destroy("echo");
    }

    @Test
    void anInternalErrorFailsOnlyTheVmItHappenedIn() throws InterruptedException {
        ServiceRegistration<DeviceFactory> broken = framework.context().registerService(DeviceFactory.class,
                new ThrowingDeviceFactory(offset -> new IllegalStateException("broken device: register " + offset)),
                new Hashtable<>(Map.of(DeviceFactory.TYPE, "broken")));
        try {
            vms.create(bareMetal("bystander", Guests.elf("echo.elf")));
            vms.start("bystander");
            awaitTranscript("bystander", "echo ready");
            vms.create(new VmConfig("victim", 1, 64L << 20, new Firmware.None(), Guests.elf("probe.elf"), null, "",
                    List.of(new DeviceRequest("broken", Map.of()))));
            vms.start("victim");

            VmInfo victim = vms.awaitTermination("victim", Duration.ofSeconds(30)).orElseThrow();
            assertEquals(VmState.FAILED, victim.state());
            assertTrue(victim.failure().contains("broken device: register 0"), victim.failure());

            assertEquals(VmState.RUNNING, vms.info("bystander").orElseThrow().state());
            vms.console("bystander").type("still here\r".getBytes(StandardCharsets.US_ASCII));
            awaitTranscript("bystander", "STILL HERE");
        } finally {
            broken.unregister();
            vms.list().forEach(vm -> vms.destroy(vm.name()));
        }
    }

    @Test
    void badKernelCreatesNothing() {
        IllegalArgumentException notRiscv = assertThrows(IllegalArgumentException.class,
                () -> vms.create(bareMetal("bad", Path.of("/bin/true"))));
        assertTrue(notRiscv.getMessage().endsWith("not RISC-V"), notRiscv.getMessage());
        assertTrue(vms.info("bad").isEmpty(), "no half-created VM");
        assertThrows(IllegalArgumentException.class,
                () -> vms.create(bareMetal("bad", Guests.root().resolve("no-such-file.elf"))));
        assertTrue(vms.info("bad").isEmpty(), "no half-created VM");
    }

    private static void awaitTranscript(String vm, String text) throws InterruptedException {
        awaitCondition(() -> vms.console(vm).transcript().contains(text),
                () -> "console of " + vm + " never showed '" + text + "': " + vms.console(vm).transcript());
    }

    private static void awaitCondition(BooleanSupplier condition, java.util.function.Supplier<String> failure)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(failure.get());
            }
            Thread.sleep(10);
        }
    }
}
