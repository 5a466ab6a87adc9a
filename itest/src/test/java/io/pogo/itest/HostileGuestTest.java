package io.pogo.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pogo.api.cpu.CodeCacheStats;
import io.pogo.api.device.Device;
import io.pogo.api.device.DeviceContext;
import io.pogo.api.device.DeviceFactory;
import io.pogo.api.device.DeviceTree;
import io.pogo.api.device.InterruptController;
import io.pogo.api.device.Placement;
import io.pogo.api.vm.DeviceRequest;
import io.pogo.api.vm.Firmware;
import io.pogo.api.vm.VmConfig;
import io.pogo.api.vm.VmInfo;
import io.pogo.api.vm.VmManager;
import io.pogo.api.vm.VmState;
import io.pogo.itest.PogoCommandTest.Result;
import io.pogo.launcher.PogoFramework;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.osgi.framework.ServiceRegistration;

/**
 * Guests and devices that would take the host down: code at millions of addresses, errors thrown in the host.
 * What breaks or overflows stays inside its VM, and {@code pogo run} always ends, with a status and a message.
 */
@Timeout(300)
class HostileGuestTest {

    private static final long CODE_CACHE = 8L << 20;
    private static final String SPRAWL_DONE = "sprawl: called 0x0000000000a00000 addresses, counted 0x0000000000500000";
    private static final Duration RUN_LIMIT = Duration.ofMinutes(4);

    private static PogoFramework framework;
    private static VmManager vms;

    @BeforeAll
    static void boot() throws Exception {
        framework = VmLifecycleTest.bootFramework(Map.of("pogo.code.cache", "8M"));
        vms = framework.awaitService(VmManager.class);
    }

    @AfterAll
    static void shutdown() {
        framework.close();
    }

    @AfterEach
    void destroyAll() {
        vms.list().forEach(vm -> vms.destroy(vm.name()));
    }

    private static VmConfig bareMetal(String name, Path kernel, List<DeviceRequest> devices) {
        return new VmConfig(name, 1, 32L << 20, new Firmware.None(), kernel, null, "", devices);
    }

    @Test
    void codeAtTenMillionAddressesStaysWithinItsVmsBudgetWhileAnotherVmAnswers() throws InterruptedException {
        vms.create(bareMetal("bystander", Guests.elf("echo.elf"), List.of()));
        vms.start("bystander");
        awaitTranscript("bystander", "echo ready");
        vms.create(bareMetal("sprawl", Guests.elf("sprawl.elf"), List.of()));
        vms.start("sprawl");

        vms.console("bystander").type("during\r".getBytes(StandardCharsets.US_ASCII));
        awaitTranscript("bystander", "DURING");
        VmInfo sprawl = vms.awaitTermination("sprawl", RUN_LIMIT).orElseThrow();

        assertEquals(VmState.STOPPED, sprawl.state(), sprawl.failure());
        assertEquals(0, sprawl.exitStatus());
        assertTrue(vms.console("sprawl").transcript().contains(SPRAWL_DONE), vms.console("sprawl").transcript());
        CodeCacheStats code = vms.codeCache("sprawl");
        assertEquals(CODE_CACHE, code.limitBytes());
        assertTrue(code.peakBytes() <= CODE_CACHE, code.toString());
        // ten million blocks take well over a hundred times 8M: the budget was filled and flushed again and again
        assertTrue(code.flushes() >= 100, code.toString());

        assertEquals(VmState.RUNNING, vms.info("bystander").orElseThrow().state());
        assertEquals(0, vms.codeCache("bystander").flushes(), "another VM's flushes are not this one's");
        vms.console("bystander").type("after\r".getBytes(StandardCharsets.US_ASCII));
        awaitTranscript("bystander", "AFTER");
    }

    @Test
    void anErrorThrownInTheHostFailsOnlyItsVmAndTheHostCpusServeTheOthersOn() throws InterruptedException {
        ServiceRegistration<DeviceFactory> erring = framework.context().registerService(DeviceFactory.class,
                new ThrowingDeviceFactory(offset -> new NoClassDefFoundError("com/example/device/Registers")),
                new Hashtable<>(Map.of(DeviceFactory.TYPE, "erring")));
        try {
            vms.create(bareMetal("bystander", Guests.elf("echo.elf"), List.of()));
            vms.start("bystander");
            awaitTranscript("bystander", "echo ready");
            int hostCpus = Runtime.getRuntime().availableProcessors();
            for (int i = 0; i <= hostCpus; i++) {
                String victim = "victim" + i;
                vms.create(bareMetal(victim, Guests.elf("probe.elf"), List.of(new DeviceRequest("erring", Map.of()))));
                vms.start(victim);

                VmInfo failed = vms.awaitTermination(victim, RUN_LIMIT).orElseThrow();
                assertEquals(VmState.FAILED, failed.state());
                assertTrue(failed.failure().matches("hart 0 at pc 0x[0-9a-f]+: a host bundle misses a class "
                        + "\\(com/example/device/Registers\\)"), failed.failure());
            }

            assertEquals(VmState.RUNNING, vms.info("bystander").orElseThrow().state());
            vms.console("bystander").type("still here\r".getBytes(StandardCharsets.US_ASCII));
            awaitTranscript("bystander", "STILL HERE");
            vms.create(bareMetal("newcomer", Guests.elf("hello.elf"), List.of()));
            vms.start("newcomer");
            VmInfo newcomer = vms.awaitTermination("newcomer", RUN_LIMIT).orElseThrow();
            assertEquals(VmState.STOPPED, newcomer.state(), newcomer.failure());
            assertEquals(0, newcomer.exitStatus());
        } finally {
            erring.unregister();
        }
    }

    /**
     * A device that completes a read on a thread of its own, which raises the device's interrupt line, and a broken
     * interrupt controller (this device is the last one attached that claims the role) that throws there.
     */
    static final class BrokenControllerFactory implements DeviceFactory {
        @Override
        public Placement placement() {
            return new Placement.VirtioSlot();
        }

        @Override
        public Device create(DeviceContext context) {
            return new BrokenController(context);
        }
    }

    private static final class BrokenController implements Device, InterruptController {
        private final DeviceContext context;

        BrokenController(DeviceContext context) {
            this.context = context;
        }

        @Override
        public long read(long offset, int size) {
            Thread completion = Thread.ofPlatform().name("completion")
                    .start(() -> context.interruptLine().setLevel(true));
            try {
                completion.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return 0;
        }

        @Override
        public void setSourceLevel(int source, boolean asserted) {
            throw new NoClassDefFoundError("com/example/device/Controller");
        }

        @Override
        public void describe(DeviceTree tree) {
        }

        @Override
        public void write(long offset, int size, long value) {
        }

        @Override
        public void close() {
        }
    }

    @Test
    void anErrorOnADevicesOwnThreadFailsItsVm() throws InterruptedException {
        ServiceRegistration<DeviceFactory> broken = framework.context().registerService(DeviceFactory.class,
                new BrokenControllerFactory(), new Hashtable<>(Map.of(DeviceFactory.TYPE, "broken-controller")));
        try {
            vms.create(bareMetal("victim", Guests.elf("probe.elf"),
                    List.of(new DeviceRequest("broken-controller", Map.of()))));
            vms.start("victim");

            VmInfo failed = vms.awaitTermination("victim", RUN_LIMIT).orElseThrow();
            assertEquals(VmState.FAILED, failed.state());
            assertTrue(failed.failure().matches("interrupt line \\d+: a host bundle misses a class "
                    + "\\(com/example/device/Controller\\)"), failed.failure());
        } finally {
            broken.unregister();
        }
    }

    @Test
    void pogoRunOfCodeAtTenMillionAddressesEndsNormallyInAHeapThatUnboundedCodeWouldExhaust() throws Exception {
        Result run = PogoCommandTest.pogo(Map.of("POGO_JAVA_OPTS", "-Xmx512m"), RUN_LIMIT, "",
                "run", "--bios", "none", "--mem", "32M", "--kernel", Guests.elf("sprawl.elf").toString());

        assertEquals(0, run.status(), run.err());
        assertTrue(run.out().contains(SPRAWL_DONE), run.out());
        assertEquals("", run.err());
    }

    @Test
    void pogoRunOfAGuestThatExhaustsTheHeapEndsWithAStatusAndOneLine() throws Exception {
        Result run = PogoCommandTest.pogo(Map.of("POGO_JAVA_OPTS", "-Xmx512m -Dpogo.code.cache=64G"), RUN_LIMIT, "",
                "run", "--bios", "none", "--mem", "32M", "--kernel", Guests.elf("sprawl.elf").toString());

        assertEquals(1, run.status(), run.out() + run.err());
        assertEquals(1, run.err().lines().count(), run.err());
        assertTrue(run.err().startsWith("pogo: ") && run.err().contains("ran out of memory"), run.err());
        assertTrue(!run.out().contains("sprawl: called"), run.out());
    }

    @Test
    void aCodeCacheLimitThatIsNoSizeIsOneLineAndStatusTwo() throws Exception {
        Result run = PogoCommandTest.pogo(Map.of("POGO_JAVA_OPTS", "-Dpogo.code.cache=lots"), RUN_LIMIT, "",
                "run", "--bios", "none", "--kernel", Guests.elf("hello.elf").toString());

        assertEquals(2, run.status(), run.out() + run.err());
        assertEquals("pogo: pogo.code.cache=lots: expected a size of at least 1M, such as 64M\n", run.err());
    }

    private static void awaitTranscript(String vm, String text) throws InterruptedException {
        long deadline = System.nanoTime() + RUN_LIMIT.toNanos();
        while (!vms.console(vm).transcript().contains(text)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("console of " + vm + " never showed '" + text + "': "
                        + vms.console(vm).transcript());
            }
            Thread.sleep(10);
        }
    }
}
