package io.pogo.interpreter.privileged;

import io.pogo.api.cpu.CsrAddress;
import io.pogo.api.cpu.Hart;
import io.pogo.api.cpu.Interrupt;
import io.pogo.api.dispatch.VmContext;

/**
 * How one CSR reads and what a write does to the hart's raw CSR storage (WARL legalisation included). Access
 * permission is checked before a rule runs.
 */
interface CsrRule {
    long read(Hart hart, VmContext vm);

    void write(Hart hart, VmContext vm, long value);

    /** Raw storage at {@code address}; a write changes only the {@code writable} bits. */
    record Stored(int address, long writable) implements CsrRule {
        @Override
        public long read(Hart hart, VmContext vm) {
            return hart.readCsr(address);
        }

        @Override
        public void write(Hart hart, VmContext vm, long value) {
            hart.writeCsr(address, hart.readCsr(address) & ~writable | value & writable);
        }
    }

    /** A read-only register or a read-only-zero counter: reads storage (zero if never set), ignores writes. */
    record Fixed(int address) implements CsrRule {
        @Override
        public long read(Hart hart, VmContext vm) {
            return hart.readCsr(address);
        }

        @Override
        public void write(Hart hart, VmContext vm, long value) {
        }
    }

    /** A read-only value that is no hart's state (the trigger module's capabilities); writes are ignored. */
    record Constant(long value) implements CsrRule {
        @Override
        public long read(Hart hart, VmContext vm) {
            return value;
        }

        @Override
        public void write(Hart hart, VmContext vm, long value) {
        }
    }

    /** A window onto the bits {@code mask} of another CSR (sstatus on mstatus, fflags on fcsr). */
    record View(int backing, long mask, int shift) implements CsrRule {
        @Override
        public long read(Hart hart, VmContext vm) {
            return (hart.readCsr(backing) & mask) >>> shift;
        }

        @Override
        public void write(Hart hart, VmContext vm, long value) {
            hart.writeCsr(backing, hart.readCsr(backing) & ~mask | (value << shift) & mask);
        }
    }

    /**
     * sie: the supervisor's view of mie, limited to what mideleg delegates; {@code writable} is what supervisor
     * software may change.
     */
    record DelegatedEnables(long writable) implements CsrRule {
        @Override
        public long read(Hart hart, VmContext vm) {
            return hart.readCsr(CsrAddress.MIE) & hart.readCsr(CsrAddress.MIDELEG);
        }

        @Override
        public void write(Hart hart, VmContext vm, long value) {
            long mask = writable & hart.readCsr(CsrAddress.MIDELEG);
            hart.writeCsr(CsrAddress.MIE, hart.readCsr(CsrAddress.MIE) & ~mask | value & mask);
        }
    }

    /**
     * mip, and sip when {@code delegatedOnly}: devices set and clear mip bits from other threads, so a write
     * changes only its {@code writable} bits, each one atomically, and never loses a device's update to another.
     * While menvcfg.STCE is set, STIP follows stimecmp and no write changes it (Sstc).
     */
    record PendingInterrupts(long writable, boolean delegatedOnly) implements CsrRule {
        @Override
        public long read(Hart hart, VmContext vm) {
            return hart.readCsr(CsrAddress.MIP) & (delegatedOnly ? hart.readCsr(CsrAddress.MIDELEG) : -1L);
        }

        @Override
        public void write(Hart hart, VmContext vm, long value) {
            long mask = writable & (delegatedOnly ? hart.readCsr(CsrAddress.MIDELEG) : -1L);
            if ((hart.readCsr(CsrAddress.MENVCFG) & Csrs.ENVCFG_STCE) != 0) {
                mask &= ~Csrs.SUPERVISOR_TIMER_PENDING;
            }
            for (Interrupt interrupt : Interrupt.values()) {
                long bit = 1L << interrupt.bit();
                if ((mask & bit) != 0) {
                    hart.setInterruptPending(interrupt, (value & bit) != 0);
                }
            }
        }
    }

    /** The time CSR: the VM's timebase. */
    record Time() implements CsrRule {
        @Override
        public long read(Hart hart, VmContext vm) {
            return vm.timebase().ticks();
        }

        @Override
        public void write(Hart hart, VmContext vm, long value) {
        }
    }
}
