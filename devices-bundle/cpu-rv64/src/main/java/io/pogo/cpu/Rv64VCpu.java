package io.pogo.cpu;

import io.pogo.api.cpu.CodeCacheStats;
import io.pogo.api.cpu.ExitHandler;
import io.pogo.api.cpu.DebugStop;
import io.pogo.api.cpu.Hart;
import io.pogo.api.cpu.HartConfig;
import io.pogo.api.cpu.HartDebug;
import io.pogo.api.cpu.RunOutcome;
import io.pogo.api.cpu.VCpu;
import io.pogo.api.memory.GuestMemory;
import io.pogo.api.state.Stateful;
import io.pogo.cpu.debug.DebugUnit;
import io.pogo.cpu.interpreter.Executor;
import io.pogo.cpu.jit.BackgroundCompiler;
import io.pogo.cpu.jit.CodeBudget;
import io.pogo.cpu.jit.CodeCache;
import io.pogo.cpu.jit.JitMode;
import io.pogo.cpu.jit.SharedCode;
import io.pogo.cpu.jit.SharedTranslations;
import io.pogo.cpu.mmu.AtomicMemory;
import io.pogo.cpu.mmu.Mmu;
import io.pogo.cpu.trap.GuestException;
import io.pogo.cpu.trap.TrapUnit;

import java.time.Duration;

/**
 * One RV64GC hart: wires state, MMU, code cache and executor, and runs the dispatch loop between blocks, or one
 * instruction at a time while a debugger steps it.
 */
final class Rv64VCpu implements VCpu {
    private final HartState hart;
    private final Mmu mmu;
    private final TrapUnit traps;
    private final Executor executor;
    private final DebugUnit debug;

    private final CodeCache codeCache;
    private final CodeBudget codeBudget;
    private final HartSnapshot snapshot;

    Rv64VCpu(HartConfig config, GuestMemory memory, AtomicMemory atomics, CodeBudget codeBudget,
             Duration codeTrimInterval, JitMode jit,
             BackgroundCompiler backgroundCompiler, SharedTranslations translations, SharedCode sharedCode,
             ExitHandler exits, Runnable wakeup) {
        GuestException exception = new GuestException();
        hart = new HartState(config, wakeup);
        mmu = new Mmu(hart, memory, atomics, exception, config.ramOverlays(), exits);
        hart.attach(mmu);
        this.codeBudget = codeBudget;
        codeCache = new CodeCache(mmu, memory.size(), codeBudget, codeTrimInterval, translations, sharedCode);
        traps = new TrapUnit(hart, mmu);
        debug = new DebugUnit(hart, mmu);
        executor = new Executor(hart, mmu, codeCache, traps, exits, exception, debug, jit, backgroundCompiler);
        mmu.attach(codeCache, executor);
        snapshot = new HartSnapshot(hart, mmu, codeCache);
    }

    @Override
    public Hart hart() {
        return hart;
    }

    @Override
    public HartDebug debug() {
        return debug;
    }

    @Override
    public RunOutcome run(long instructionBudget) {
        codeCache.dropIfFlushed();
        if (debug.takeStep()) {
            return step();
        }
        long executed = 0;
        while (true) {
            if (hart.attention) {
                RunOutcome outcome = serviceAttention();
                if (outcome != null) {
                    return outcome;
                }
            }
            if (executed >= instructionBudget) {
                return RunOutcome.BUDGET_SPENT;
            }
            executed += executor.run(instructionBudget - executed);
            if (hart.waitingForInterrupt) {
                hart.waitingForInterrupt = false;
                // A kick wins over the wait: the WFI completes early, which the architecture allows.
                if (!hart.kicked) {
                    codeCache.trimUnused();
                    return RunOutcome.WAITING_FOR_INTERRUPT;
                }
            }
        }
    }

    /**
     * One instruction for the debugger, with no interrupt taken before it (QEMU's default for gdb's steps); a WFI
     * completes at once. A kick that came first wins: no step is taken.
     */
    private RunOutcome step() {
        hart.attention = false;
        takeRequests();
        if (hart.kicked) {
            hart.kicked = false;
            hart.attention = true;
            return RunOutcome.KICKED;
        }
        executor.step();
        hart.waitingForInterrupt = false;
        if (!debug.stopPending()) {
            debug.stop(new DebugStop.Stepped());
        }
        debug.takeStop();
        // the next run looks at what the step left aside: pending interrupts, and requests made meanwhile
        hart.attention = true;
        return RunOutcome.STOPPED_FOR_DEBUGGER;
    }

    /** Handles what other threads and exit handlers asked for; a non-null outcome ends the quantum. */
    private RunOutcome serviceAttention() {
        hart.attention = false;
        takeRequests();
        if (debug.takeStop() != null) {
            return RunOutcome.STOPPED_FOR_DEBUGGER;
        }
        traps.takePendingInterrupt();
        if (hart.kicked) {
            hart.kicked = false;
            return RunOutcome.KICKED;
        }
        return null;
    }

    /** Applies what other threads and exit handlers asked for: fences, triggers, breakpoints. */
    private void takeRequests() {
        long flush = hart.pendingFlush.getAndSet(HartState.NO_FLUSH);
        if (flush == HartState.FLUSH_ALL) {
            mmu.flushAll();
        } else if (flush != HartState.NO_FLUSH) {
            mmu.flushAddress(flush);
        }
        if (hart.instructionFenceRequested) {
            hart.instructionFenceRequested = false;
            codeCache.fenceInstructions();
        }
        if (hart.triggers.takeChanges()) {
            mmu.watchAccesses(hart.triggers.watchesAccesses);
            executor.refreshWatches();
        }
        if (debug.breakpoints.takeChanges()) {
            executor.refreshWatches();
        }
    }

    @Override
    public void kick() {
        hart.kicked = true;
        hart.attention = true;
    }

    @Override
    public boolean hasWakeupInterrupt() {
        return hart.hasWakeupInterrupt();
    }

    @Override
    public CodeCacheStats codeCache() {
        return codeBudget.stats();
    }

    @Override
    public Stateful state() {
        return snapshot;
    }

    @Override
    public void release() {
        codeCache.flush();
    }
}
