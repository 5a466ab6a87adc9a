package io.pogo.cpu.jit;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Translates and loads regions on a thread of its own, so a vCPU never waits for the JIT tier: it keeps
 * interpreting a hot block until the block's region is {@link Block#ready ready}, then charges and installs it
 * ({@link CodeCache#install}). One thread serves every hart of the factory; it ends when idle and starts again
 * with the next request. A full backlog refuses a request, and its block simply becomes hot again later.
 */
public final class BackgroundCompiler {
    private static final int BACKLOG = 256;

    private final RegionCompiler compiler = new RegionCompiler();
    private final ThreadPoolExecutor thread = new ThreadPoolExecutor(0, 1, 1, TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(BACKLOG), task -> Thread.ofPlatform().daemon().name("pogo-jit").unstarted(task));

    /** A compiled region waiting for its vCPU to charge and install it. */
    record Ready(CompiledRegion region, long footprint) {
    }

    /**
     * Queues {@code region} for translation, to be offered to {@code translations} under {@code key} once loaded;
     * false if the backlog is full.
     */
    boolean submit(Region region, SharedTranslations.Key key, SharedTranslations translations) {
        try {
            thread.execute(() -> region.blocks()[0].ready = translations.compiled(key, region, compiler));
            return true;
        } catch (RejectedExecutionException full) {
            return false;
        }
    }
}
