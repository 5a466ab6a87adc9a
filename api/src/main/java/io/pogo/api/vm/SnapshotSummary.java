package io.pogo.api.vm;

import java.nio.file.Path;
import java.time.Duration;

/**
 * What a snapshot wrote, or what a restore read.
 *
 * @param fileBytes    the snapshot file's size
 * @param touchedBytes guest RAM the snapshot holds: the pages the guest ever wrote that are not all zero
 * @param took         how long the VM stood paused for it (snapshot), or how long the restore took
 */
public record SnapshotSummary(String vmName, Path file, long fileBytes, long touchedBytes, Duration took) {
}
