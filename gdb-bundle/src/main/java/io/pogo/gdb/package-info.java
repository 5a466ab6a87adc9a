/**
 * The GDB stub: the GDB remote serial protocol as {@code gdb-multiarch} speaks it to QEMU, served for every VM
 * through the API's {@link io.pogo.api.vm.VmDebug}. Nothing here is exported.
 */
package io.pogo.gdb;
