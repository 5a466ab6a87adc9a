/**
 * The virtio-mmio transport (modern version 2 or legacy version 1) and split virtqueues. A virtio device bundle
 * implements {@link io.pogo.virtio.VirtioDevice} and hands it to a {@link io.pogo.virtio.VirtioMmio}, which is the
 * {@link io.pogo.api.device.Device} the VM sees. A device that also implements {@link io.pogo.api.state.Stateful}
 * takes part in snapshots: the transport saves its registers and queues, and the device its own state after them.
 */
@Version("1.5.0")
@Export
package io.pogo.virtio;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
