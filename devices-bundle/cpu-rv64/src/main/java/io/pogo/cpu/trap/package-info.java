/**
 * Traps: the exception an instruction raises ({@link io.pogo.cpu.trap.GuestException}), its delivery to M or S
 * mode with interrupts ({@link io.pogo.cpu.trap.TrapUnit}), and the status bits that takes
 * ({@link io.pogo.cpu.trap.Csr}). Private to the bundle.
 */
package io.pogo.cpu.trap;
