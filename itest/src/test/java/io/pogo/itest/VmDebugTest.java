package io.pogo.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pogo.api.cpu.DebugStop;
import io.pogo.api.vm.DebugEvent;
import io.pogo.api.vm.DebugServer;
import io.pogo.api.vm.Firmware;
import io.pogo.api.vm.HartRun;
import io.pogo.api.vm.VmConfig;
import io.pogo.api.vm.VmDebug;
import io.pogo.api.vm.VmManager;
import io.pogo.launcher.PogoFramework;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The debugger's hold on a VM through the API (VmManager.debug) and the GDB stub service (DebugServer, what
 * vm:gdb uses) on a VM that is already running, in a real Felix: the echo guest answers only while it runs.
 */
@Timeout(120)
class VmDebugTest {

    private static PogoFramework framework;
    private static VmManager vms;
    private static DebugServer gdb;

    @BeforeAll
    static void boot() throws Exception {
        framework = VmLifecycleTest.bootFramework(Map.of());
        vms = framework.awaitService(VmManager.class);
        gdb = framework.awaitService(DebugServer.class);
    }

    @AfterAll
    static void shutdown() {
        framework.close();
    }

    private static void startEcho(String name) throws InterruptedException {
        vms.create(new VmConfig(name, 1, 64L << 20, new Firmware.None(), Guests.elf("echo.elf"), null, "", List.of()));
        vms.start(name);
        awaitTranscript(name, "echo ready");
    }

    private static void awaitTranscript(String vm, String text) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!vms.console(vm).transcript().contains(text)) {
            assertTrue(System.nanoTime() < deadline, "no «" + text + "» in: " + vms.console(vm).transcript());
            Thread.sleep(10);
        }
    }

    private static DebugEvent next(BlockingQueue<DebugEvent> events) throws InterruptedException {
        DebugEvent event = events.poll(60, TimeUnit.SECONDS);
        assertTrue(event != null, "no debug event");
        return event;
    }

    @Test
    void aDebuggerStopsStepsAndBreaksTheGuestUnseenAndLetsItGo() throws Exception {
        startEcho("held");
        BlockingQueue<DebugEvent> events = new LinkedBlockingQueue<>();
        try (VmDebug debug = vms.debug("held", events::add)) {
            assertThrows(IllegalStateException.class, () -> vms.debug("held", event -> { }), "one debugger a VM");
            debug.stop();
            assertInstanceOf(DebugEvent.Interrupted.class, next(events));
            assertTrue(debug.isStopped());
            vms.console("held").type("a".getBytes(StandardCharsets.US_ASCII));
            long before = debug.harts().getFirst().instructionsRetired();

            debug.resume(Map.of(0, HartRun.STEP));
            assertEquals(new DebugEvent.HartStopped(0, new DebugStop.Stepped()), next(events));
            assertEquals(before + 1, debug.harts().getFirst().instructionsRetired(), "one instruction");

            long pc = debug.harts().getFirst().pc();
            debug.hart(0).insertBreakpoint(pc);
            debug.resume(Map.of(0, HartRun.CONTINUE));
            assertEquals(new DebugEvent.HartStopped(0, new DebugStop.Breakpoint(pc)), next(events));
            assertFalse(vms.console("held").transcript().contains("A"), "held by the debugger, it echoed nothing");
            assertThrows(IllegalArgumentException.class, () -> debug.resume(Map.of(7, HartRun.CONTINUE)));
        }
        awaitTranscript("held", "A");
        vms.destroy("held");
    }

    @Test
    void theGdbStubServesARunningVmStopsItOnConnectAndLetsItRunWhenGdbDetaches() throws Exception {
        startEcho("served");
        InetSocketAddress address = gdb.open("served", "127.0.0.1:0", false);
        assertThrows(IllegalStateException.class, () -> gdb.open("served", "127.0.0.1:0", false));
        try (RspClient client = new RspClient(address.getPort())) {
            assertEquals("T05thread:01;", client.request("?"));
            vms.console("served").type("b".getBytes(StandardCharsets.US_ASCII));
            assertEquals("1", client.request("qAttached"));
            assertFalse(vms.console("served").transcript().contains("B"), "stopped while gdb is connected");
            assertEquals("OK", client.request("D"));
        }
        awaitTranscript("served", "B");
        assertTrue(gdb.close("served"));
        assertFalse(gdb.close("served"));
        vms.destroy("served");
    }

    @Test
    void addressesThatAreNoneAreOneLine() {
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> gdb.open("nothing", "127.0.0.1:99999", false));
        assertEquals("gdb stub address 127.0.0.1:99999: port 99999 is out of range (0 to 65535)", bad.getMessage());
        assertThrows(IllegalStateException.class, () -> gdb.open("nothing", "0", false));
    }
}
