package io.pogo.allocator.memory;

import io.pogo.api.memory.DirtyPages;
import java.util.concurrent.atomic.AtomicLongArray;

/** A bank's dirty pages as one bit each, set by any thread without locks. */
public final class PageBitmap implements DirtyPages {

    private final AtomicLongArray words;
    private volatile boolean tracking;

    public PageBitmap(long bankSize) {
        words = new AtomicLongArray((int) ((bankSize / PAGE_SIZE + 63) / 64));
    }

    @Override
    public boolean tracking() {
        return tracking;
    }

    @Override
    public void start() {
        take();
        tracking = true;
    }

    @Override
    public void stop() {
        tracking = false;
    }

    @Override
    public void mark(long offset, long length) {
        if (!tracking || length <= 0) {
            return;
        }
        long last = (offset + length - 1) / PAGE_SIZE;
        for (long page = offset / PAGE_SIZE; page <= last; page++) {
            int word = (int) (page >>> 6);
            long bit = 1L << page;
            // a read first: most writes land on pages already marked, and need no atomic update
            if ((words.get(word) & bit) == 0) {
                words.getAndAccumulate(word, bit, (old, set) -> old | set);
            }
        }
    }

    @Override
    public boolean isDirty(long offset) {
        long page = offset / PAGE_SIZE;
        return (words.get((int) (page >>> 6)) & (1L << page)) != 0;
    }

    @Override
    public long[] take() {
        long[] taken = new long[words.length()];
        for (int i = 0; i < taken.length; i++) {
            taken[i] = words.getAndSet(i, 0);
        }
        return taken;
    }
}
