package io.pogo.allocator.board;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.pogo.api.allocator.DeviceSlot;
import io.pogo.api.device.MmioWindow;
import io.pogo.api.device.Placement;
import org.junit.jupiter.api.Test;

class VirtBoardAllocatorTest {

    private final VirtBoardAllocator board = new VirtBoardAllocator();

    /** QEMU's virt board plugs its first virtio device into the last slot (0x10008000, IRQ 8) and goes down. */
    @Test
    void virtioSlotsAreTakenFromTheTopAsOnQemuVirt() {
        assertEquals(8, board.freeVirtioSlots("a"));
        for (int slot = 7; slot >= 0; slot--) {
            assertEquals(new DeviceSlot(new MmioWindow(0x1000_1000L + slot * 0x1000L, 0x1000), 1 + slot),
                    board.assign("a", new Placement.VirtioSlot()));
            assertEquals(slot, board.freeVirtioSlots("a"));
        }
        assertThrows(IllegalArgumentException.class, () -> board.assign("a", new Placement.VirtioSlot()));
        assertEquals(8, board.assign("b", new Placement.VirtioSlot()).irq(), "VMs have boards of their own");
        assertEquals(7, board.freeVirtioSlots("b"));
        board.releaseAll("a");
        assertEquals(8, board.freeVirtioSlots("a"));
        assertEquals(8, board.assign("a", new Placement.VirtioSlot()).irq());
    }

    @Test
    void aFixedWindowOverAVirtioSlotTakesItOutOfService() {
        board.assign("a", new Placement.Fixed(0x1000_8000L, 0x1000, 0));
        assertEquals(7, board.freeVirtioSlots("a"));
        assertEquals(new DeviceSlot(new MmioWindow(0x1000_7000L, 0x1000), 7),
                board.assign("a", new Placement.VirtioSlot()));
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
