package io.pogo.cpu.jit;

import io.pogo.api.cpu.CodeCacheStats;

import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The host memory one VM's code may take, shared by the code caches of all its harts, so a guest that runs code
 * at ever new addresses cannot grow the host without bound. A hart whose new code does not fit flushes the whole
 * VM's code, as QEMU flushes its translation-block cache when full: the budget starts a new generation with
 * nothing charged, and every other hart drops its code, of the older generation and no longer counted, at the
 * start of its next quantum or when it next creates code. Charges happen when code is created, never when it runs.
 *
 * <p>A compiled region counts once however many blocks of the VM's harts enter it: VMs and harts running the same
 * code share one ({@link SharedTranslations}). Each VM that uses a region counts it, so a VM's budget bounds the code
 * it keeps alive whichever VM compiled it.
 *
 * <p>The budget knows no harts (it lives as long as the VM's memory, which harts must not keep alive), so the
 * other harts find out by looking at the generation.
 */
public final class CodeBudget {
    /** The smallest limit: several of the largest blocks, compiled, still fit. */
    public static final long MIN_LIMIT = 1L << 20;
    public static final long DEFAULT_LIMIT = 64L << 20;

    private final long limit;
    /** Written under the lock, read without it by harts checking whether their code is still counted. */
    private volatile long generation;
    private long charged;
    private long peak;
    private long flushes;
    /**
     * The compiled regions charged in this generation, each with how many blocks of the VM enter it and the bytes
     * it was charged, kept here rather than in each of its blocks: the count changes in place, as releasing must not
     * allocate (a VM that failed for want of heap gives its code back).
     */
    private final Map<CompiledRegion, RegionCharge> regionUsers = new IdentityHashMap<>();

    /** A compiled region's charge: the bytes, and how many blocks of the VM enter the region. */
    private static final class RegionCharge {
        final long bytes;
        int users;

        RegionCharge(long bytes) {
            this.bytes = bytes;
        }
    }

    public CodeBudget(long limit) {
        this.limit = limit;
    }

    long generation() {
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

    /**
     * Charges the region a block built in {@code cacheGeneration} enters: {@code bytes} unless another block of the
     * VM entering it has been charged already. False if the generation is an older one, or full.
     */
    synchronized boolean tryChargeRegion(long cacheGeneration, CompiledRegion region, long bytes) {
        if (cacheGeneration != generation) {
            return false;
        }
        RegionCharge charge = regionUsers.get(region);
        if (charge == null) {
            if (!tryCharge(cacheGeneration, bytes)) {
                return false;
            }
            charge = new RegionCharge(bytes);
            regionUsers.put(region, charge);
        }
        charge.users++;
        return true;
    }

    /** A block entering {@code region} was dropped: returns the region's bytes with the last such block. */
    synchronized void releaseRegion(long cacheGeneration, CompiledRegion region) {
        if (cacheGeneration != generation) {
            return;
        }
        RegionCharge charge = regionUsers.get(region);
        if (--charge.users == 0) {
            regionUsers.remove(region);
            charged -= charge.bytes;
        }
    }

    /** Returns what a cache dropped; code of an older generation was already written off by the flush. */
    synchronized void release(long cacheGeneration, long bytes) {
        if (cacheGeneration == generation) {
            charged -= bytes;
        }
    }

    /** A cache of {@code cacheGeneration} is full: starts a new generation, unless another hart just did. */
    synchronized void flushAll(long cacheGeneration) {
        if (cacheGeneration == generation) {
            generation++;
            charged = 0;
            regionUsers.clear();
            flushes++;
        }
    }

    public synchronized CodeCacheStats stats() {
        return new CodeCacheStats(limit, charged, peak, flushes);
    }
}
