/**
 * Instruction decoding: 32-bit and compressed RV64GC encodings (with Zba/Zbb/Zbc/Zbs) into the packed
 * {@link io.pogo.cpu.decode.Decoded} form the interpreter and the JIT both execute, with the operation numbers in
 * {@link io.pogo.cpu.decode.Op}. Depends on no other package of the vCPU. Private to the bundle.
 */
package io.pogo.cpu.decode;
