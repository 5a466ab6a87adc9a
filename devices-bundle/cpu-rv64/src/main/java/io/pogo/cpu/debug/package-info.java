/**
 * What a debugger sees of a hart: breakpoints, single steps and stops ({@link io.pogo.cpu.debug.DebugUnit}), and the
 * Sdtrig address triggers shared by the guest and the debugger ({@link io.pogo.cpu.debug.Triggers}). Private to the
 * bundle.
 */
package io.pogo.cpu.debug;
