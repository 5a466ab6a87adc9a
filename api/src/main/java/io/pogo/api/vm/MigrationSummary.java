package io.pogo.api.vm;

import java.time.Duration;

/**
 * How a live migration went.
 *
 * @param memoryBytes the VM's RAM
 * @param sentBytes   guest RAM that crossed the wire: the touched pages, and the dirtied ones again
 * @param rounds      the pre-copy rounds, the stop-and-copy included
 * @param downtime    at the source: from pausing the guest until the target said it runs there; at the target:
 *                    how long the whole reception took
 */
public record MigrationSummary(String vmName, long memoryBytes, long sentBytes, int rounds, Duration downtime) {
}
