package io.pogo.api.cpu;

/**
 * What one VM's decoded and compiled guest code costs the host, counted in estimated bytes of host memory. When
 * a new block would take the total past the limit, the VM's whole code cache is flushed, as QEMU flushes its
 * translation-block cache when full; the guest only runs slower while it is rebuilt.
 *
 * @param limitBytes the most the VM's code may hold
 * @param usedBytes  what it holds now
 * @param peakBytes  the most it ever held
 * @param flushes    how many times it was flushed because it was full
 */
public record CodeCacheStats(long limitBytes, long usedBytes, long peakBytes, long flushes) {
}
