package io.pogo.api.vm;

import java.nio.file.Path;
import java.time.Duration;

/**
 * What a snapshot wrote, or what a restore read.
 *
 * @param fileBytes    the snapshot file's size
 * @param touchedBytes guest RAM the snapshot holds: the pages the guest ever wrote that are not all zero
 * @param took         how long the VM stood paused for it (snapshot), or how long reading the file and rebuilding
 *                     the VM took, up to the moment it runs again (restore)
 */
public record SnapshotSummary(String vmName, Path file, long fileBytes, long touchedBytes, Duration took) {
}
