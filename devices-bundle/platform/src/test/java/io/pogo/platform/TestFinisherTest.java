package io.pogo.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pogo.api.device.MmioWindow;
import io.pogo.api.device.PowerControl;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TestFinisherTest {

    private final List<String> events = new ArrayList<>();
    private final TestFinisher finisher = new TestFinisher(new PowerControl() {
        @Override
        public void powerOff(int status) {
            events.add("off " + status);
        }

        @Override
        public void reset() {
            events.add("reset");
        }
    }, new MmioWindow(0x100000, 0x1000));

    @Test
    void passFailAndResetCommands() {
        finisher.write(0, 2, 0x5555);
        finisher.write(0, 4, (3 << 16) | 0x3333);
        finisher.write(0, 4, (0xffff << 16) | 0x3333);
        finisher.write(0, 4, 0x7777);
        assertEquals(List.of("off 0", "off 3", "off 65535", "reset"), events, "OpenSBI writes 16 bits, Linux 32");
    }

    @Test
    void otherValuesOffsetsAndWidthsAreIgnored() {
        finisher.write(0, 4, 0x1234);
        finisher.write(4, 4, 0x5555);
        finisher.write(0, 1, 0x55);
        finisher.write(2, 2, 0x5555);
        assertEquals(List.of(), events);
        assertEquals(0, finisher.read(0, 4));
    }
}
