/**
 * Guest memory as a hart sees it: {@link io.pogo.cpu.mmu.Mmu} translates (Sv39/Sv48 through the
 * {@link io.pogo.cpu.mmu.PageTableWalker}, cached in {@link io.pogo.cpu.mmu.Tlb}s), checks permissions, sends
 * what lies outside RAM to an {@link io.pogo.cpu.mmu.MmioPort}, and performs LR/SC and AMOs atomically across the
 * VM's harts. Private to the bundle.
 */
package io.pogo.cpu.mmu;
