/** Virtual machines as users see them: configuration, lifecycle state, console. */
@Version("1.5.0")
@Export
package io.pogo.api.vm;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
