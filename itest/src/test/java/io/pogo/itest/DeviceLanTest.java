package io.pogo.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pogo.api.vm.DeviceRequest;
import io.pogo.api.vm.Firmware;
import io.pogo.api.vm.VmConfig;
import io.pogo.api.vm.VmInfo;
import io.pogo.api.vm.VmManager;
import io.pogo.api.vm.VmState;
import io.pogo.launcher.PogoFramework;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Constants;

/**
 * Several VMs with virtio devices in one monitor, in a real Felix with every Pogo bundle but the shell: a shared
 * LAN, and a broken driver that harms only its own VM.
 */
@Timeout(90)
class DeviceLanTest {

    private static PogoFramework framework;
    private static VmManager vms;

    @TempDir
    Path dir;

    @BeforeAll
    static void boot() throws Exception {
        framework = PogoFramework.boot(Guests.bundles(), Map.of(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, apiPackages()),
                jar -> !List.of("api.jar", "org.apache.felix.gogo.shell.jar", "org.apache.felix.fileinstall.jar")
                        .contains(jar.getFileName().toString()));
        vms = framework.awaitService(VmManager.class);
    }

    /** The API bundle's own exports, served by the system bundle so that this test shares the API types. */
    private static String apiPackages() throws IOException {
        try (JarFile api = new JarFile(Guests.bundles().resolve("api.jar").toFile())) {
            return api.getManifest().getMainAttributes().getValue(Constants.EXPORT_PACKAGE);
        }
    }

    @AfterAll
    static void shutdown() {
        framework.close();
    }

    private static VmConfig vm(String name, String guest, DeviceRequest... devices) {
        return new VmConfig(name, 1, 64L << 20, new Firmware.None(), Guests.elf("dev-" + guest + ".elf"), null, "",
                List.of(devices));
    }

    private static VmInfo finished(String name) throws InterruptedException {
        VmInfo end = vms.awaitTermination(name, Duration.ofSeconds(60)).orElseThrow();
        assertEquals(VmState.STOPPED, end.state(), name + ": " + end.failure());
        assertEquals(0, end.exitStatus(), vms.console(name).transcript());
        return end;
    }

    private Path image(String name) throws IOException {
        byte[] bytes = new byte[16 * 512];
        System.arraycopy("POGO sector zero".getBytes(StandardCharsets.US_ASCII), 0, bytes, 0, 16);
        Path image = dir.resolve(name);
        Files.write(image, bytes);
        return image;
    }

    @Test
    void twoVmsExchangeFramesOverOneSwitch() throws Exception {
        DeviceRequest nic = new DeviceRequest("virtio-net", Map.of("switch", "lan7"));
        vms.create(vm("pong", "net-pong", nic));
        vms.create(vm("ping", "net-ping", nic));
        vms.start("pong");
        vms.start("ping");
        finished("ping");
        String ping = vms.console("ping").transcript();
        String pong = vms.console("pong").transcript();
        String pingMac = DeviceGuestTest.mac(ping);
        String pongMac = DeviceGuestTest.mac(pong);
        assertTrue(pong.contains("got: ping from " + pingMac), pong);
        assertTrue(ping.contains("got: pong from " + pongMac), ping);

        String switches = netSwitches();
        assertTrue(switches.lines().anyMatch(line -> line.matches("lan7\\s+pong/eth0 " + pongMac + "\\s+" + pongMac)),
                "the pong VM's port with the address the switch learned: " + switches);
        assertTrue(switches.lines().noneMatch(line -> line.contains("ping/eth0") || line.contains(pingMac)),
                "the stopped VM left the switch: " + switches);
        vms.stop("pong");
        assertTrue(netSwitches().lines().anyMatch(line -> line.matches("lan7\\s+-")), netSwitches());
        vms.destroy("ping");
        vms.destroy("pong");
    }

    @Test
    void malformedChainsResetTheirOwnDeviceAndLeaveOtherVmsAlone() throws Exception {
        vms.create(vm("broken", "bad-chain", new DeviceRequest("virtio-blk",
                Map.of("file", image("broken.img").toString()))));
        vms.create(vm("healthy", "blk", new DeviceRequest("virtio-blk", Map.of("file", image("healthy.img").toString()))));
        vms.start("broken");
        vms.start("healthy");
        finished("broken");
        finished("healthy");
        String broken = vms.console("broken").transcript();
        assertTrue(broken.contains("loop: device needs reset\r\npast RAM: device needs reset\r\n"
                + "overflow: device needs reset\r\nafter reset: POGO sector zero"), broken);
        assertTrue(vms.console("healthy").transcript().contains("read back ok"), vms.console("healthy").transcript());
        vms.destroy("broken");
        vms.destroy("healthy");
    }

    /** What {@code net:switches} prints, called on the command service as the shell would. */
    private static String netSwitches() throws Exception {
        return (String) CommandServices.call(framework, "net", "switches");
    }
}
