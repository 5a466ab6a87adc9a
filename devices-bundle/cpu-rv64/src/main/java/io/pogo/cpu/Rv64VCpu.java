package io.pogo.cpu;

import io.pogo.api.cpu.CodeCacheStats;
import io.pogo.api.cpu.ExitHandler;
import io.pogo.api.cpu.Hart;
import io.pogo.api.cpu.HartConfig;
import io.pogo.api.cpu.RunOutcome;
import io.pogo.api.cpu.VCpu;
import io.pogo.api.memory.GuestMemory;

/** One RV64GC hart: wires state, MMU, code cache and executor, and runs the dispatch loop between blocks. */
final class Rv64VCpu implements VCpu {
    private final HartState hart;
    private final Mmu mmu;
    private final TrapUnit traps;
    private final Executor executor;

    private final CodeCache codeCache;
    private final CodeBudget codeBudget;

    Rv64VCpu(HartConfig config, GuestMemory memory, AtomicMemory atomics, CodeBudget codeBudget, ExitHandler exits,
             Runnable wakeup) {
        GuestException exception = new GuestException();
        hart = new HartState(config, wakeup);
        mmu = new Mmu(hart, memory.segment(), memory.base(), atomics, exception, config.ramOverlays());
        hart.attach(mmu);
        this.codeBudget = codeBudget;
        codeCache = new CodeCache(mmu, memory.size(), codeBudget);
        traps = new TrapUnit(hart, mmu);
        executor = new Executor(hart, mmu, codeCache, traps, exits, exception);
        mmu.attach(codeCache, executor);
    }

    @Override
    public Hart hart() {
        return hart;
    }

    @Override
    public RunOutcome run(long instructionBudget) {
        codeCache.dropIfFlushed();
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
                    return RunOutcome.WAITING_FOR_INTERRUPT;
                }
            }
        }
    }

    /** Handles what other threads and exit handlers asked for; a non-null outcome ends the quantum. */
    private RunOutcome serviceAttention() {
        hart.attention = false;
        long flush = hart.pendingFlush.getAndSet(HartState.NO_FLUSH);
        if (flush == HartState.FLUSH_ALL) {
            mmu.flushAll();
        } else if (flush != HartState.NO_FLUSH) {
            mmu.flushAddress(flush);
        }
        if (hart.instructionFenceRequested) {
            hart.instructionFenceRequested = false;
            codeCache.flush();
        }
        if (hart.triggers.takeChanges()) {
            mmu.watchAccesses(hart.triggers.watchesAccesses);
        }
        traps.takePendingInterrupt();
        if (hart.kicked) {
            hart.kicked = false;
            return RunOutcome.KICKED;
        }
        return null;
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
    public void release() {
        codeCache.flush();
    }
}
