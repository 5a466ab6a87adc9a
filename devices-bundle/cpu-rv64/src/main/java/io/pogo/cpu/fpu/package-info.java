/**
 * The F and D extensions: {@link io.pogo.cpu.fpu.FloatUnit} executes every floating-point operation, raising the
 * IEEE 754 flags and honouring the rounding modes the JVM's arithmetic lacks (exact error terms, directed
 * rounding). Private to the bundle.
 */
package io.pogo.cpu.fpu;
