package io.pogo.dispatcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pogo.api.vm.DeviceRequest;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class VmMonitorBoardTest {

    /** The activation gate must name exactly the devices the board assembles, or VMs fail at creation. */
    @Test
    void activationGateNamesEveryBoardDevice() {
        List<String> gated = Pattern.compile("\\(device\\.type=([^)]+)\\)").matcher(VmMonitor.BOARD_FILTER)
                .results().map(match -> match.group(1)).sorted().toList();
        List<String> board = VmMonitor.BOARD_DEVICES.stream().map(DeviceRequest::type).sorted().toList();
        assertEquals(board, gated);
        assertEquals(board.size(), VmMonitor.BOARD_SIZE);
    }
}
