package io.pogo.api.memory;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Which 4 KiB pages of one RAM bank were written since tracking started or since the last {@link #take}: by vCPUs
 * and by device DMA. Live migration re-sends exactly these pages. While tracking is off nothing is recorded and
 * writers pay one volatile read.
 *
 * <p>vCPUs keep cached write permissions for pages they already dirtied: a caller that takes the log while the
 * guest runs must make every hart drop its translations before the guest writes again (pause, take, flush, resume).
 */
@ProviderType
public interface DirtyPages {

    int PAGE_SIZE = 4096;

    boolean tracking();

    /** Starts recording with every page clean. */
    void start();

    void stop();

    /** Records a write of {@code length} bytes at {@code offset} into the bank, when tracking. */
    void mark(long offset, long length);

    /** Whether the page holding {@code offset} was written since the last {@link #take}. */
    boolean isDirty(long offset);

    /** The pages written since the last take (bit {@code p % 64} of word {@code p / 64} is page p), all clean after. */
    long[] take();
}
