/** What a virtual device knows: its MMIO window, an interrupt line, guest memory and its backend. */
@Version("1.2.0")
@Export
package io.pogo.api.device;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
