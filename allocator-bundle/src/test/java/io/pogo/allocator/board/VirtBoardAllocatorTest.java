package io.pogo.allocator.board;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.pogo.api.allocator.DeviceSlot;
import io.pogo.api.device.MmioWindow;
import io.pogo.api.device.Placement;
import org.junit.jupiter.api.Test;

class VirtBoardAllocatorTest {

    private final VirtBoardAllocator board = new VirtBoardAllocator();

    @Test
    void virtioSlotsFollowQemuVirt() {
        for (int slot = 0; slot < 8; slot++) {
            assertEquals(new DeviceSlot(new MmioWindow(0x1000_1000L + slot * 0x1000L, 0x1000), 1 + slot),
                    board.assign("a", new Placement.VirtioSlot()));
        }
        assertThrows(IllegalArgumentException.class, () -> board.assign("a", new Placement.VirtioSlot()));
        assertEquals(1, board.assign("b", new Placement.VirtioSlot()).irq(), "VMs have boards of their own");
        board.releaseAll("a");
        assertEquals(1, board.assign("a", new Placement.VirtioSlot()).irq());
    }

    @Test
    void fixedWindowsAndIrqsAreExclusive() {
        board.assign("a", new Placement.Fixed(0x1000_0000L, 0x100, 10));
        assertThrows(IllegalArgumentException.class, () -> board.assign("a", new Placement.Fixed(0x1000_0080L, 0x100, 0)));
        assertThrows(IllegalArgumentException.class, () -> board.assign("a", new Placement.Fixed(0x2000_0000L, 0x100, 10)));
        assertThrows(IllegalArgumentException.class, () -> board.assign("a", new Placement.Fixed(0x8000_0000L, 0x100, 0)),
                "RAM is not a device window");
    }
}
