/** Resource decisions: host CPUs for vCPUs, backing for guest memory, MMIO windows and IRQ lines for devices. */
@Version("1.3.0")
@Export
package io.pogo.api.allocator;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
