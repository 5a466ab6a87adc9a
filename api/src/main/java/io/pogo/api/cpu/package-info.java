/**
 * The virtual CPU contract: harts, privilege levels, traps and the exits that leave the CPU for the monitor, and
 * what a debugger needs of a hart (breakpoints, single steps, the debugger's view of its address space).
 */
@Version("1.4.0")
@Export
package io.pogo.api.cpu;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
