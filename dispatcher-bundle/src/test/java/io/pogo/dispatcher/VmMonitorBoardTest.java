package io.pogo.dispatcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pogo.api.device.Device;
import io.pogo.api.device.DeviceContext;
import io.pogo.api.device.DeviceFactory;
import io.pogo.api.device.Placement;
import io.pogo.api.vm.DeviceRequest;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class VmMonitorBoardTest {

    /**
     * The activation gate must name exactly the devices the board assembles, and the empty transport that fills the
     * free virtio slots, or VMs fail at creation.
     */
    @Test
    void activationGateNamesEveryBoardDevice() {
        List<String> gated = Pattern.compile("\\(device\\.type=([^)]+)\\)").matcher(VmMonitor.BOARD_FILTER)
                .results().map(match -> match.group(1)).sorted().toList();
        List<String> board = Stream.concat(VmMonitor.BOARD_DEVICES.stream().map(DeviceRequest::type),
                Stream.of(Placement.VirtioSlot.EMPTY)).sorted().toList();
        assertEquals(board, gated);
        assertEquals(board.size(), VmMonitor.BOARD_SIZE);
    }

    private static DeviceFactory placedIn(Placement placement) {
        return new DeviceFactory() {
            @Override
            public Placement placement() {
                return placement;
            }

            @Override
            public Device create(DeviceContext context) {
                throw new UnsupportedOperationException("only the placement is asked");
            }
        };
    }

    @Test
    void virtioLegacyMakesEveryVirtioDeviceLegacyUnlessItSaysOtherwise() {
        DeviceFactory virtio = placedIn(new Placement.VirtioSlot());
        DeviceFactory fixed = placedIn(new Placement.Fixed(0x1000_0000L, 0x100, 10));
        DeviceRequest drive = new DeviceRequest("virtio-blk", Map.of("file", "d.img"));
        assertEquals(Map.of("file", "d.img", "legacy", "on"), VmMonitor.options(drive, virtio, true));
        assertEquals(Map.of("file", "d.img"), VmMonitor.options(drive, virtio, false));
        DeviceRequest modern = new DeviceRequest("virtio-blk", Map.of("file", "d.img", "legacy", "off"));
        assertEquals(modern.options(), VmMonitor.options(modern, virtio, true));
        DeviceRequest uart = new DeviceRequest("ns16550a", Map.of());
        assertEquals(Map.of(), VmMonitor.options(uart, fixed, true));
    }
}
