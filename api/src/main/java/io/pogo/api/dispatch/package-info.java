/** The routing contract between the dispatcher and the routines (interpreter, allocator) that handle exits. */
@Version("1.1.0")
@Export
package io.pogo.api.dispatch;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
