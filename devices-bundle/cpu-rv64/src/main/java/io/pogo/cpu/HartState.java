package io.pogo.cpu;

import io.pogo.api.cpu.AddressTrigger;
import io.pogo.api.cpu.CsrAddress;
import io.pogo.api.cpu.ExceptionCause;
import io.pogo.api.cpu.Hart;
import io.pogo.api.cpu.HartConfig;
import io.pogo.api.cpu.Interrupt;
import io.pogo.api.cpu.PrivilegeMode;
import io.pogo.cpu.debug.Triggers;
import io.pogo.cpu.decode.Decoded;
import io.pogo.cpu.mmu.Mmu;
import io.pogo.cpu.mmu.Tlb;
import io.pogo.cpu.trap.Csr;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The architectural state of one hart and its raw CSR storage.
 *
 * <p>CSR convention: {@link #csr} holds every CSR at its own number and is the single source of truth. Views
 * (sstatus, sie, sip, fflags, frm) have no storage of their own; the interpreter maps them onto mstatus, mie, mip
 * and fcsr. mip is only touched atomically because devices set it from other threads. The counters are the
 * exception: mcycle and minstret are derived from {@link #retired}, and their slots hold the offset written by
 * software. tdata1 and tdata2 are banked: they show the trigger tselect selects, in {@link #triggers}.
 */
public final class HartState implements Hart {
    private static final VarHandle CSR_ELEMENT = MethodHandles.arrayElementVarHandle(long[].class);
    static final long FLUSH_ALL = -1;
    /** Not page-aligned, so never a page to flush. */
    static final long NO_FLUSH = 1;

    /** x0..x31 plus {@link Decoded#DISCARD}, the sink for writes to x0. */
    public final long[] x = new long[33];
    public final long[] f = new long[32];
    public final long[] csr = new long[Csr.COUNT];
    public final HartConfig config;
    public final Triggers triggers = new Triggers();
    public long pc;
    public int privilege;
    public long retired;
    /**
     * Set while an exit handler completes an instruction that retires once the handler returns. A counter written
     * then counts from the instruction after it: the write takes the place of the instruction's own increment.
     */
    public boolean exitRetires;
    /**
     * Index in its block of the instruction executing, for faults and MMIO exits in the middle of a block: compiled
     * blocks and the interpreter set it before each instruction that may fault or exit.
     */
    public int faultIndex;

    /** Set by anything another thread or an exit handler wants the run loop to look at before the next block. */
    public volatile boolean attention;
    volatile boolean kicked;
    /** The page the next block boundary's SFENCE drops, {@link #FLUSH_ALL}, or {@link #NO_FLUSH}. */
    final AtomicLong pendingFlush = new AtomicLong(NO_FLUSH);
    volatile boolean instructionFenceRequested;
    public boolean waitingForInterrupt;
    public ExceptionCause raisedCause;
    public long raisedTval;

    private final Runnable wakeup;
    private Mmu mmu;

    HartState(HartConfig config, Runnable wakeup) {
        this.config = config;
        this.wakeup = wakeup;
        pc = config.resetPc();
        privilege = config.resetPrivilege().level();
        csr[CsrAddress.MISA] = Csr.MISA_RV64GC;
        csr[CsrAddress.MSTATUS] = Csr.XLEN_FIELDS;
        csr[CsrAddress.MHARTID] = config.hartId();
        if (config.hypercalls()) {
            delegateEverythingToSupervisor();
        }
    }

    /** Without a guest machine mode every trap and interrupt the supervisor can take goes to it. */
    private void delegateEverythingToSupervisor() {
        csr[CsrAddress.MEDELEG] = 0xFFFFL & ~(1L << ExceptionCause.ECALL_FROM_MACHINE.code());
        csr[CsrAddress.MIDELEG] = 1L << Interrupt.SUPERVISOR_SOFTWARE.bit() | 1L << Interrupt.SUPERVISOR_TIMER.bit()
                | 1L << Interrupt.SUPERVISOR_EXTERNAL.bit();
    }

    void attach(Mmu mmu) {
        this.mmu = mmu;
    }

    @Override
    public int id() {
        return config.hartId();
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
        return index == 0 ? 0 : x[index];
    }

    @Override
    public void setRegister(int index, long value) {
        if (index != 0) {
            x[index] = value;
        }
    }

    @Override
    public long floatRegister(int index) {
        return f[index];
    }

    @Override
    public void setFloatRegister(int index, long bits) {
        f[index] = bits;
    }

    @Override
    public PrivilegeMode privilege() {
        return switch (privilege) {
            case 0 -> PrivilegeMode.USER;
            case 1 -> PrivilegeMode.SUPERVISOR;
            default -> PrivilegeMode.MACHINE;
        };
    }

    @Override
    public void setPrivilege(PrivilegeMode mode) {
        setPrivilegeLevel(mode.level());
    }

    void setPrivilegeLevel(int level) {
        privilege = level;
        mmu.modeChanged();
        attention = true;
    }

    @Override
    public long readCsr(int address) {
        return switch (address) {
            case CsrAddress.MIP -> (long) CSR_ELEMENT.getVolatile(csr, CsrAddress.MIP);
            case CsrAddress.MCYCLE, CsrAddress.CYCLE -> csr[CsrAddress.MCYCLE] + retired;
            case CsrAddress.MINSTRET, CsrAddress.INSTRET -> csr[CsrAddress.MINSTRET] + retired;
            case CsrAddress.TDATA1 -> selectedTrigger() < 0 ? 0 : triggers.control[selectedTrigger()];
            case CsrAddress.TDATA2 -> selectedTrigger() < 0 ? 0 : triggers.data[selectedTrigger()];
            default -> csr[address];
        };
    }

    /** The trigger tdata1 and tdata2 show, or -1 when tselect names none. */
    private int selectedTrigger() {
        long selected = csr[CsrAddress.TSELECT];
        return Long.compareUnsigned(selected, Triggers.COUNT) < 0 ? (int) selected : -1;
    }

    private long retiredAfterThisInstruction() {
        return exitRetires ? retired + 1 : retired;
    }

    @Override
    public void writeCsr(int address, long value) {
        switch (address) {
            case CsrAddress.MIP -> {
                CSR_ELEMENT.setVolatile(csr, CsrAddress.MIP, value);
                attention = true;
            }
            case CsrAddress.MCYCLE, CsrAddress.CYCLE -> csr[CsrAddress.MCYCLE] = value - retiredAfterThisInstruction();
            case CsrAddress.MINSTRET, CsrAddress.INSTRET ->
                    csr[CsrAddress.MINSTRET] = value - retiredAfterThisInstruction();
            case CsrAddress.TDATA1 -> {
                if (selectedTrigger() >= 0) {
                    triggers.control[selectedTrigger()] = value;
                }
            }
            case CsrAddress.TDATA2 -> {
                if (selectedTrigger() >= 0) {
                    triggers.data[selectedTrigger()] = value;
                }
            }
            case CsrAddress.MSTATUS -> {
                csr[CsrAddress.MSTATUS] = value;
                mmu.modeChanged();
                attention = true;
            }
            case CsrAddress.SATP -> {
                csr[CsrAddress.SATP] = value;
                mmu.flushAll();
            }
            case CsrAddress.MIE, CsrAddress.MIDELEG -> {
                csr[address] = value;
                attention = true;
            }
            default -> csr[address] = value;
        }
    }

    public long mip() {
        return (long) CSR_ELEMENT.getVolatile(csr, CsrAddress.MIP);
    }

    @Override
    public void raiseException(ExceptionCause cause, long tval) {
        raisedCause = cause;
        raisedTval = tval;
    }

    @Override
    public void setInterruptPending(Interrupt interrupt, boolean pending) {
        long bit = 1L << interrupt.bit();
        if (pending) {
            long before = (long) CSR_ELEMENT.getAndBitwiseOr(csr, CsrAddress.MIP, bit);
            attention = true;
            if ((before & bit) == 0 && hasWakeupInterrupt()) {
                wakeup.run();
            }
        } else {
            CSR_ELEMENT.getAndBitwiseAnd(csr, CsrAddress.MIP, ~bit);
        }
    }

    /** WFI wakes on any interrupt pending and locally enabled in mie, whatever the global enables say. */
    boolean hasWakeupInterrupt() {
        return (mip() & csr[CsrAddress.MIE]) != 0;
    }

    @Override
    public void waitForInterrupt() {
        if (!hasWakeupInterrupt()) {
            waitingForInterrupt = true;
        }
    }

    /**
     * Deferred to the run loop's next block boundary, so other threads (remote fences) may call it too. Requests
     * that pile up for different pages before then become one flush of everything.
     */
    @Override
    public void flushTranslations(long address, long asid) {
        long page = address == -1 ? FLUSH_ALL : address & Tlb.PAGE_MASK;
        pendingFlush.accumulateAndGet(page, (pending, requested) -> pending == NO_FLUSH || pending == requested
                ? requested : FLUSH_ALL);
        attention = true;
    }

    /** Deferred like {@link #flushTranslations}; the volatile flag also publishes the caller's stores to code. */
    @Override
    public void fenceInstructions() {
        instructionFenceRequested = true;
        attention = true;
    }

    @Override
    public long instructionsRetired() {
        return retired;
    }

    @Override
    public int triggerCount() {
        return Triggers.COUNT;
    }

    @Override
    public void armTrigger(int index, AddressTrigger trigger) {
        triggers.request(index, Objects.requireNonNull(trigger));
        attention = true;
    }

    @Override
    public void disarmTrigger(int index) {
        triggers.request(index, null);
        attention = true;
    }
}
