/** Guest-physical memory as seen by vCPUs and devices (bounds-checked, shared between threads). */
@Version("1.2.0")
@Export
package io.pogo.api.memory;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
