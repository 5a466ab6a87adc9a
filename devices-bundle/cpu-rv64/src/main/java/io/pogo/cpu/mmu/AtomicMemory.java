package io.pogo.cpu.mmu;

import io.pogo.cpu.decode.Amo;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * LR/SC and AMOs of every hart of one VM, on that VM's RAM. A value compare alone would let an SC succeed after
 * other harts wrote A, then B, then A back (the ABA problem LR/SC exists to solve), so each 8-byte granule's
 * stripe counts the atomic writes made to it: an SC succeeds only if no LR/SC or AMO of any hart wrote the stripe
 * since the LR, and memory still holds the value the LR read (which catches plain stores of another value).
 * The check and the write happen under the stripe's lock; the write itself is a compare-and-set so plain stores
 * racing with it, which take no lock, are never lost.
 */
public final class AtomicMemory {
    private static final int STRIPES = 256;
    private static final VarHandle INT = ValueLayout.JAVA_INT.withOrder(ByteOrder.LITTLE_ENDIAN).varHandle();
    private static final VarHandle LONG = ValueLayout.JAVA_LONG.withOrder(ByteOrder.LITTLE_ENDIAN).varHandle();

    private final MemorySegment ram;
    private final Object[] locks = new Object[STRIPES];
    /** Atomic writes per stripe, guarded by the stripe's lock. */
    private final long[] writes = new long[STRIPES];

    public AtomicMemory(MemorySegment ram) {
        this.ram = ram;
        for (int i = 0; i < STRIPES; i++) {
            locks[i] = new Object();
        }
    }

    /** One hart's reservation: where its last LR was, what it read, and the stripe's write count then. */
    static final class Reservation {
        boolean valid;
        long offset;
        long value;
        long writesSeen;

        void clear() {
            valid = false;
        }
    }

    private static int stripe(long offset) {
        return (int) (offset >>> 3) & (STRIPES - 1);
    }

    /** LR at a RAM offset: loads (sign-extended for words) and reserves. */
    long loadReserved(long offset, int sizeLog2, Reservation reservation) {
        int stripe = stripe(offset);
        synchronized (locks[stripe]) {
            reservation.value = read(offset, sizeLog2);
            reservation.offset = offset;
            reservation.writesSeen = writes[stripe];
            reservation.valid = true;
            return reservation.value;
        }
    }

    /** SC at a RAM offset; the reservation is spent either way. Returns whether the store happened. */
    boolean storeConditional(long offset, int sizeLog2, long value, Reservation reservation) {
        boolean reserved = reservation.valid && reservation.offset == offset;
        reservation.valid = false;
        if (!reserved) {
            return false;
        }
        int stripe = stripe(offset);
        synchronized (locks[stripe]) {
            if (writes[stripe] != reservation.writesSeen
                    || !compareAndSet(offset, sizeLog2, reservation.value, value)) {
                return false;
            }
            writes[stripe]++;
            return true;
        }
    }

    /** AMO at a RAM offset: applies {@code function} atomically and returns the old value (sign-extended). */
    long readModifyWrite(long offset, int sizeLog2, int function, long operand) {
        long source = sizeLog2 == 2 ? (int) operand : operand;
        int stripe = stripe(offset);
        synchronized (locks[stripe]) {
            long old;
            do {
                old = read(offset, sizeLog2);
            } while (!compareAndSet(offset, sizeLog2, old, Amo.apply(function, old, source)));
            writes[stripe]++;
            return old;
        }
    }

    private long read(long offset, int sizeLog2) {
        return sizeLog2 == 2 ? (int) INT.getVolatile(ram, offset) : (long) LONG.getVolatile(ram, offset);
    }

    private boolean compareAndSet(long offset, int sizeLog2, long expected, long value) {
        return sizeLog2 == 2
                ? INT.compareAndSet(ram, offset, (int) expected, (int) value)
                : LONG.compareAndSet(ram, offset, expected, value);
    }
}
