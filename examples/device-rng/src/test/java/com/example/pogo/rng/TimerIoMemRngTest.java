package com.example.pogo.rng;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.pogo.api.device.DeviceTree;
import io.pogo.api.device.DtNode;
import io.pogo.api.device.DtProperty;
import io.pogo.api.device.MmioWindow;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TimerIoMemRngTest {

    private final TimerIoMemRng rng = new TimerIoMemRng(new MmioWindow(0x102000, 0x1000), new Random(7));

    @Test
    void everyReadOfTheDataRegisterIsFresh() {
        Random expected = new Random(7);
        assertEquals(expected.nextLong() & 0xffff_ffffL, rng.read(0, 4));
        assertEquals(expected.nextLong() & 0xffff_ffffL, rng.read(0, 4));
        assertNotEquals(rng.read(0, 4), rng.read(0, 4));
        assertEquals(0, rng.read(4, 4));
    }

    @Test
    void describesItselfAsTheTimeriomemBindingSays() {
        List<DtNode> nodes = new ArrayList<>();
        rng.describe(new DeviceTree() {
            @Override
            public int hartInterruptController(int hartId) {
                return 1;
            }

            @Override
            public int interruptParent() {
                return 2;
            }

            @Override
            public int newPhandle() {
                return 3;
            }

            @Override
            public void addDevice(DtNode node) {
                nodes.add(node);
            }

            @Override
            public void addRootNode(DtNode node) {
                nodes.add(node);
            }

            @Override
            public void choose(DtProperty property) {
            }
        });
        assertEquals(1, nodes.size());
        assertEquals("rng@102000", nodes.getFirst().name());
        assertEquals(List.of("compatible", "reg", "period", "quality"),
                nodes.getFirst().properties().stream().map(DtProperty::name).toList());
    }
}
