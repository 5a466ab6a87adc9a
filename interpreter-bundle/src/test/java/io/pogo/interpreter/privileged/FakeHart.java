package io.pogo.interpreter.privileged;

import io.pogo.api.cpu.CsrAddress;
import io.pogo.api.cpu.ExceptionCause;
import io.pogo.api.cpu.Hart;
import io.pogo.api.cpu.Interrupt;
import io.pogo.api.cpu.PrivilegeMode;

import java.util.concurrent.atomic.AtomicLong;

/** A hart as routines see it, with plain CSR storage and a record of what the routines asked of it. */
final class FakeHart implements Hart {
    final long[] csrs = new long[4096];
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
    public PrivilegeMode privilege() {
        return privilege;
    }

    @Override
    public void setPrivilege(PrivilegeMode mode) {
        privilege = mode;
    }

    @Override
    public long readCsr(int address) {
        return address == CsrAddress.MIP ? pending.get() : csrs[address];
    }

    @Override
    public void writeCsr(int address, long value) {
        if (address == CsrAddress.MIP) {
            pending.set(value);
        } else {
            csrs[address] = value;
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
}
