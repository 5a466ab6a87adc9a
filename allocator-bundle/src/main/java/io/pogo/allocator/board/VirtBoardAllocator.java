package io.pogo.allocator.board;

import io.pogo.api.allocator.BoardAllocator;
import io.pogo.api.allocator.DeviceSlot;
import io.pogo.api.device.MmioWindow;
import io.pogo.api.device.Placement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.osgi.service.component.annotations.Component;

/**
 * The device map of QEMU's virt board: fixed windows as asked, virtio-mmio slots 0..7 with IRQs 1..8. Virtio devices
 * take the slots from the top down, as QEMU plugs {@code -device} and {@code -drive} devices: the first one sits at
 * 0x10008000, so guests written against QEMU find it where they look.
 */
@Component(service = BoardAllocator.class)
public final class VirtBoardAllocator implements BoardAllocator {

    static final long VIRTIO_BASE = 0x1000_1000L;
    static final long VIRTIO_SIZE = 0x1000;
    static final int VIRTIO_SLOTS = 8;
    static final int VIRTIO_FIRST_IRQ = 1;
    static final long RAM_BASE = 0x8000_0000L;

    private final Map<String, List<DeviceSlot>> held = new HashMap<>();

    @Override
    public synchronized DeviceSlot assign(String vmName, Placement placement) {
        List<DeviceSlot> slots = held.computeIfAbsent(vmName, name -> new ArrayList<>());
        DeviceSlot slot = switch (placement) {
            case Placement.Fixed(long base, long size, int irq) -> fixed(slots, base, size, irq);
            case Placement.VirtioSlot() -> virtio(slots);
        };
        slots.add(slot);
        return slot;
    }

    private static DeviceSlot fixed(List<DeviceSlot> slots, long base, long size, int irq) {
        if (size <= 0 || Long.compareUnsigned(base + size, RAM_BASE) > 0) {
            throw new IllegalArgumentException("device window 0x%x+0x%x is not below RAM".formatted(base, size));
        }
        for (DeviceSlot slot : slots) {
            if (overlaps(slot.window(), base, size)) {
                throw new IllegalArgumentException("device window 0x%x+0x%x is already taken".formatted(base, size));
            }
            if (irq != 0 && slot.irq() == irq) {
                throw new IllegalArgumentException("IRQ " + irq + " is already taken");
            }
        }
        return new DeviceSlot(new MmioWindow(base, size), irq);
    }

    private static DeviceSlot virtio(List<DeviceSlot> slots) {
        return freeVirtio(slots).findFirst().orElseThrow(
                () -> new IllegalArgumentException("all " + VIRTIO_SLOTS + " virtio-mmio slots are taken"));
    }

    /** The virtio-mmio slots no window covers yet, in the order they are handed out. */
    private static Stream<DeviceSlot> freeVirtio(List<DeviceSlot> slots) {
        return IntStream.iterate(VIRTIO_SLOTS - 1, index -> index >= 0, index -> index - 1)
                .mapToObj(index -> new DeviceSlot(new MmioWindow(VIRTIO_BASE + index * VIRTIO_SIZE, VIRTIO_SIZE),
                        VIRTIO_FIRST_IRQ + index))
                .filter(free -> slots.stream().noneMatch(slot -> overlaps(slot.window(), free.window().base(),
                        VIRTIO_SIZE)));
    }

    @Override
    public synchronized int freeVirtioSlots(String vmName) {
        return (int) freeVirtio(held.getOrDefault(vmName, List.of())).count();
    }

    private static boolean overlaps(MmioWindow window, long base, long size) {
        return base < window.base() + window.size() && window.base() < base + size;
    }

    @Override
    public synchronized void releaseAll(String vmName) {
        held.remove(vmName);
    }
}
