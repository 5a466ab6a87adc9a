package io.pogo.allocator.memory;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The host address space all guest RAM of the process is carved from: one large reservation, so that every VM's
 * RAM is a slice of the same segment. The CPU translates guest code into classes that hold that segment as a
 * constant and reach RAM at offsets its TLB gives; with one segment for all VMs, a VM running code another VM has
 * translated (the same kernel) can use the other VM's class and the JVM's machine code for it.
 *
 * <p>The reservation is address space only, sized from the host's memory (four times it, as on-demand VMs may be
 * promised more than the host has); should it run out, a further one is reserved, whose VMs share code among
 * themselves. Reservations live as long as the process; a slice is backed only where its guest touches it, and
 * becomes inaccessible and unbacked again when its VM's RAM is freed.
 */
final class HostSpace {

    /** The space of this process. */
    static final HostSpace PROCESS = new HostSpace(4 * ((com.sun.management.OperatingSystemMXBean)
            ManagementFactory.getOperatingSystemMXBean()).getTotalMemorySize());

    /** Slices start at 2 MiB boundaries, where the host may back them with huge pages. */
    static final long ALIGNMENT = 2L << 20;

    private final long reservationSize;
    private final List<Reservation> reservations = new ArrayList<>();

    /** One host reservation and its ranges no VM holds, by offset, as [offset, offset + length). */
    private record Reservation(MemorySegment space, TreeMap<Long, Long> free) {
    }

    /**
     * A VM's RAM: {@code ram} is {@code space} from {@code offset} on, usable until {@code arena} closes, which
     * gives the slice back. Closing a shared arena makes any late access from another thread fail with an
     * exception instead of reaching RAM that may already be another VM's.
     */
    record Slice(MemorySegment space, long offset, MemorySegment ram, Arena arena) {
    }

    /**
     * Initializes this class and {@link HostPages} on a thread of their own, so that the first VM's creation finds
     * them ready: each downcall handle spins classes of its own, which took `pogo run` of hello.elf 10-20 ms of
     * CPU (20-40 ms of wall time on a busy host) in its VM's creation, on the way to the guest's first instruction.
     * Called as the allocator starts, it runs beside the rest of the framework's start. Should that fail, the first
     * use fails as it would have (a class that could not be initialized says why).
     */
    static void prepareAhead() {
        Thread.ofPlatform().daemon().name("pogo-host-pages").start(() -> {
            try {
                MethodHandles.Lookup lookup = MethodHandles.lookup();
                lookup.ensureInitialized(HostSpace.class);
                lookup.ensureInitialized(HostPages.class);
            } catch (IllegalAccessException | LinkageError | RuntimeException e) {
                // reported by the first VM's creation, which needs them
            }
        });
    }

    HostSpace(long reservationSize) {
        this.reservationSize = Math.max(ALIGNMENT, reservationSize / ALIGNMENT * ALIGNMENT);
    }

    /** Carves {@code size} bytes of zero pages, backed only where touched, readable and writable. */
    Slice carve(long size) {
        long length = Math.ceilDiv(size, ALIGNMENT) * ALIGNMENT;
        Reservation reservation;
        long offset;
        synchronized (this) {
            reservation = reservations.stream().filter(each -> firstFit(each, length) >= 0).findFirst()
                    .orElseGet(() -> reserve(length));
            offset = firstFit(reservation, length);
            take(reservation.free(), offset, length);
        }
        MemorySegment range = reservation.space().asSlice(offset, length);
        try {
            HostPages.remap(range, true);
        } catch (RuntimeException | Error e) {
            give(reservation, offset, length);
            throw e;
        }
        Arena arena = Arena.ofShared();
        MemorySegment ram = range.reinterpret(size, arena, freed -> {
            HostPages.remap(range, false);
            give(reservation, offset, length);
        });
        return new Slice(reservation.space(), offset, ram, arena);
    }

    private Reservation reserve(long length) {
        long size = Math.max(reservationSize, length);
        MemorySegment space = reserveAligned(size);
        if (space == null && size > length) {
            // a host that limits address space gets reservations as large as the VMs, which share no code
            size = length;
            space = reserveAligned(size);
        }
        if (space == null) {
            throw new IllegalArgumentException("the host refused to reserve " + (size >> 20) + "M of address space");
        }
        TreeMap<Long, Long> free = new TreeMap<>();
        free.put(0L, size);
        Reservation reservation = new Reservation(space, free);
        reservations.add(reservation);
        return reservation;
    }

    /**
     * {@code size} bytes of address space from a 2 MiB boundary on, so that every slice starts on one and its huge
     * pages line up with the guest's 2 MiB ranges: the kernel places a reservation where it likes (recent kernels on
     * such a boundary, older ones anywhere), so one {@link #ALIGNMENT} larger is taken and used from its first
     * boundary. Null if the host refuses.
     */
    private static MemorySegment reserveAligned(long size) {
        MemorySegment space = HostPages.reserveAddressSpace(size + ALIGNMENT);
        return space == null ? null : space.asSlice(Math.floorMod(-space.address(), ALIGNMENT), size);
    }

    /** The offset of the first free range of {@code reservation} that holds {@code length} bytes, or -1. */
    private static long firstFit(Reservation reservation, long length) {
        for (Map.Entry<Long, Long> range : reservation.free().entrySet()) {
            if (range.getValue() >= length) {
                return range.getKey();
            }
        }
        return -1;
    }

    private static void take(TreeMap<Long, Long> free, long offset, long length) {
        long rest = free.remove(offset) - length;
        if (rest > 0) {
            free.put(offset + length, rest);
        }
    }

    /** Returns a range to its reservation's free ranges, merged with the free neighbours on either side. */
    private synchronized void give(Reservation reservation, long offset, long length) {
        TreeMap<Long, Long> free = reservation.free();
        long start = offset;
        long end = offset + length;
        Map.Entry<Long, Long> before = free.floorEntry(offset);
        if (before != null && before.getKey() + before.getValue() == offset) {
            start = before.getKey();
            free.remove(start);
        }
        Long after = free.remove(end);
        if (after != null) {
            end += after;
        }
        free.put(start, end - start);
    }
}
