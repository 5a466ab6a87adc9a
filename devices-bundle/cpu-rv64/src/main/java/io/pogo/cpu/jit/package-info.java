/**
 * The decoded-block cache and the JIT tier: {@link io.pogo.cpu.jit.CodeCache} keeps decoded blocks per guest page,
 * {@link io.pogo.cpu.jit.RegionCompiler} translates hot regions into hidden classes in this package (so whatever
 * their bytecode reaches in other packages is public), shared between VMs through
 * {@link io.pogo.cpu.jit.SharedTranslations} and paid for from each VM's {@link io.pogo.cpu.jit.CodeBudget}. Code
 * caches of the same code share the arrays of their blocks and pages ({@link io.pogo.cpu.jit.SharedCode}). Private
 * to the bundle.
 */
package io.pogo.cpu.jit;
