/**
 * The reference semantics of the vCPU: the {@link io.pogo.cpu.interpreter.Executor} runs decoded blocks one
 * instruction at a time, and the integer helpers it shares with the JIT ({@code Alu}, {@code BitManip},
 * {@code Pause}) are where each instruction's meaning is written once; compiled code calls them rather than
 * restating them. Private to the bundle.
 */
package io.pogo.cpu.interpreter;
