package io.pogo.interpreter.privileged;

import io.pogo.api.cpu.AddressTrigger;
import io.pogo.api.cpu.CsrAddress;
import io.pogo.api.cpu.ExceptionCause;
import io.pogo.api.cpu.Hart;
import io.pogo.api.cpu.Interrupt;
import io.pogo.api.cpu.PrivilegeMode;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A hart as routines see it, with plain CSR storage (tdata1 and tdata2 banked by tselect, as on the CPU) and a
 * record of what the routines asked of it.
 */
final class FakeHart implements Hart {
    static final int TRIGGERS = 2;
    final long[] csrs = new long[4096];
    final long[] triggerControl = new long[TRIGGERS];
    final long[] triggerAddress = new long[TRIGGERS];
    final AddressTrigger[] armed = new AddressTrigger[TRIGGERS];
    final AtomicLong pending = new AtomicLong();
    long pc;
    PrivilegeMode privilege = PrivilegeMode.MACHINE;
    ExceptionCause raisedCause;
    long raisedTval;
    boolean waiting;
    long flushedAddress = Long.MIN_VALUE;
    long flushedAsid = Long.MIN_VALUE;

    @Override
    public int id() {
        return 0;
    }

    @Override
    public long pc() {
        return pc;
    }

    @Override
    public void setPc(long pc) {
        this.pc = pc;
    }

    @Override
    public long register(int index) {
        return 0;
    }

    @Override
    public void setRegister(int index, long value) {
    }

    @Override
    public long floatRegister(int index) {
        return 0;
    }

    @Override
    public void setFloatRegister(int index, long bits) {
    }

    @Override
    public PrivilegeMode privilege() {
        return privilege;
    }

    @Override
    public void setPrivilege(PrivilegeMode mode) {
        privilege = mode;
    }

    @Override
    public long readCsr(int address) {
        return switch (address) {
            case CsrAddress.MIP -> pending.get();
            case CsrAddress.TDATA1 -> triggerControl[(int) csrs[CsrAddress.TSELECT]];
            case CsrAddress.TDATA2 -> triggerAddress[(int) csrs[CsrAddress.TSELECT]];
            default -> csrs[address];
        };
    }

    @Override
    public void writeCsr(int address, long value) {
        switch (address) {
            case CsrAddress.MIP -> pending.set(value);
            case CsrAddress.TDATA1 -> triggerControl[(int) csrs[CsrAddress.TSELECT]] = value;
            case CsrAddress.TDATA2 -> triggerAddress[(int) csrs[CsrAddress.TSELECT]] = value;
            default -> csrs[address] = value;
        }
    }

    @Override
    public void raiseException(ExceptionCause cause, long tval) {
        raisedCause = cause;
        raisedTval = tval;
    }

    @Override
    public void setInterruptPending(Interrupt interrupt, boolean set) {
        long bit = 1L << interrupt.bit();
        pending.getAndUpdate(value -> set ? value | bit : value & ~bit);
    }

    @Override
    public void waitForInterrupt() {
        waiting = true;
    }

    @Override
    public void flushTranslations(long address, long asid) {
        flushedAddress = address;
        flushedAsid = asid;
    }

    @Override
    public void fenceInstructions() {
    }

    @Override
    public long instructionsRetired() {
        return 0;
    }

    @Override
    public int triggerCount() {
        return TRIGGERS;
    }

    @Override
    public void armTrigger(int index, AddressTrigger trigger) {
        armed[index] = trigger;
    }

    @Override
    public void disarmTrigger(int index) {
        armed[index] = null;
    }
}
