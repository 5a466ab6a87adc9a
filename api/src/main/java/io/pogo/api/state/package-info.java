/**
 * Saving and restoring what a running VM holds beyond its RAM: each vCPU's and each device's state as a versioned,
 * per-type record, so that a VM can be written to a snapshot and brought back, in the same or another process.
 * Third-party devices take part by implementing {@link io.pogo.api.state.Stateful}; a VM with a device that does
 * not cannot be snapshotted. A device that holds something of the host exclusively (a writable disk's lock) also
 * implements {@link io.pogo.api.state.HostResources}, so that a live migration hands the hold from one process to
 * the other.
 */
@Version("1.1.0")
@Export
package io.pogo.api.state;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
