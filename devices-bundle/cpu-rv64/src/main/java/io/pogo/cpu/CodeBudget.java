package io.pogo.cpu;

import io.pogo.api.cpu.CodeCacheStats;
import io.pogo.api.cpu.Hart;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The host memory one VM's code may take, shared by the code caches of all its harts, so a guest that runs code
 * at ever new addresses cannot grow the host without bound. A hart whose new block does not fit flushes the whole
 * VM's code, as QEMU flushes its translation-block cache when full: the budget starts a new generation with
 * nothing charged, and every other hart drops its code (older generation, no longer counted) at its next block
 * boundary. Charges happen when code is created, never when it runs.
 */
final class CodeBudget {
    /** The smallest limit: several of the largest blocks, compiled, still fit. */
    static final long MIN_LIMIT = 1L << 20;
    static final long DEFAULT_LIMIT = 64L << 20;

    private final long limit;
    private final List<Hart> harts = new CopyOnWriteArrayList<>();
    private long generation;
    private long charged;
    private long peak;
    private long flushes;

    CodeBudget(long limit) {
        this.limit = limit;
    }

    /** A hart whose code cache charges this budget; a full flush reaches it through its instruction fence. */
    void join(Hart hart) {
        harts.add(hart);
    }

    synchronized long generation() {
        return generation;
    }

    /** Charges {@code bytes} of code built in {@code cacheGeneration}; false if it is an older one, or full. */
    synchronized boolean tryCharge(long cacheGeneration, long bytes) {
        if (cacheGeneration != generation || charged + bytes > limit) {
            return false;
        }
        charged += bytes;
        peak = Math.max(peak, charged);
        return true;
    }

    /** Returns what a cache dropped; code of an older generation was already written off by the flush. */
    synchronized void release(long cacheGeneration, long bytes) {
        if (cacheGeneration == generation) {
            charged -= bytes;
        }
    }

    /**
     * The cache of {@code requester}, in {@code cacheGeneration}, is full: starts a new generation unless another
     * hart has just done so, and asks every other hart to drop its code.
     */
    void flushAll(long cacheGeneration, Hart requester) {
        synchronized (this) {
            if (cacheGeneration != generation) {
                return;
            }
            generation++;
            charged = 0;
            flushes++;
        }
        for (Hart hart : harts) {
            if (hart != requester) {
                hart.fenceInstructions();
            }
        }
    }

    synchronized CodeCacheStats stats() {
        return new CodeCacheStats(limit, charged, peak, flushes);
    }
}
