/** The virtual CPU contract: harts, privilege levels, traps and the exits that leave the CPU for the monitor. */
@Version("1.2.0")
@Export
package io.pogo.api.cpu;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
