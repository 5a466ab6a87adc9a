package io.pogo.cpu.mmu;

import io.pogo.api.cpu.ExceptionCause;
import io.pogo.api.memory.DirtyPages;
import io.pogo.cpu.trap.Csr;
import io.pogo.cpu.trap.GuestException;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * Sv39 and Sv48 page-table walks. Accessed and dirty bits are managed by hardware: a walk that finds A clear (or D
 * clear on a store) sets it with a compare-and-set on the PTE, retrying if another hart changed the PTE meanwhile,
 * as the Svadu extension describes; those updates count as writes for dirty-page tracking. The walk reports the permissions the leaf grants in the current regime so
 * the TLB can cache all three access types at once.
 */
final class PageTableWalker {
    static final int SATP_MODE_BARE = 0;
    static final int SATP_MODE_SV39 = 8;
    static final int SATP_MODE_SV48 = 9;

    private static final VarHandle PTE = ValueLayout.JAVA_LONG.varHandle();
    private static final long V = 1, R = 2, W = 4, X = 8, U = 16, A = 64, D = 128;
    private static final long PPN_MASK = (1L << 44) - 1;
    private static final long RESERVED_HIGH_BITS = ~0L << 54;
    private static final long RETRY = -1;

    private final MemorySegment ram;
    private final long ramBase;
    private final GuestException exception;
    private final DirtyPages dirtyPages;

    /** Permissions ({@link Mmu#READ_OK} etc.) the last successful walk's leaf grants. */
    int permissions;
    /** The offset bits of the last successful walk's leaf: 0xFFF for a 4 KiB page, more for superpages. */
    long leafOffsetMask;

    PageTableWalker(MemorySegment ram, long ramBase, GuestException exception, DirtyPages dirtyPages) {
        this.ram = ram;
        this.dirtyPages = dirtyPages;
        this.ramBase = ramBase;
        this.exception = exception;
    }

    /**
     * @param regime the effective privilege level of the access
     * @return the physical address
     */
    long walk(long virtualAddress, int access, long satp, int regime, long mstatus) {
        int levels = (int) (satp >>> 60) == SATP_MODE_SV39 ? 3 : 4;
        int vaBits = 12 + 9 * levels;
        if (virtualAddress << (64 - vaBits) >> (64 - vaBits) != virtualAddress) {
            throw pageFault(access, virtualAddress);
        }
        long physicalAddress;
        do {
            physicalAddress = tryWalk(virtualAddress, access, satp, levels, regime, mstatus);
        } while (physicalAddress == RETRY);
        return physicalAddress;
    }

    /**
     * A debugger's walk: the physical address {@code virtualAddress} maps to under {@code satp}, or -1 when no valid
     * leaf maps it. Reads the tables only; permissions are not checked.
     */
    long peek(long virtualAddress, long satp) {
        int levels = (int) (satp >>> 60) == SATP_MODE_SV39 ? 3 : 4;
        int vaBits = 12 + 9 * levels;
        if (virtualAddress << (64 - vaBits) >> (64 - vaBits) != virtualAddress) {
            return -1;
        }
        long table = (satp & PPN_MASK) << 12;
        for (int level = levels - 1; level >= 0; level--) {
            long offset = table + ((virtualAddress >>> (12 + 9 * level)) & 0x1FF) * 8 - ramBase;
            if (Long.compareUnsigned(offset, ram.byteSize() - 8) > 0) {
                return -1;
            }
            long pte = (long) PTE.getVolatile(ram, offset);
            if ((pte & V) == 0 || (pte & (R | W)) == W || (pte & RESERVED_HIGH_BITS) != 0) {
                return -1;
            }
            long ppn = (pte >>> 10) & PPN_MASK;
            if ((pte & (R | X)) != 0) {
                long superpageMask = (1L << (9 * level)) - 1;
                return (ppn & superpageMask) != 0 ? -1
                        : (ppn | ((virtualAddress >>> 12) & superpageMask)) << 12 | (virtualAddress & 0xFFF);
            }
            table = ppn << 12;
        }
        return -1;
    }

    /** One walk; returns {@link #RETRY} when another hart changed the leaf PTE before A/D could be set. */
    private long tryWalk(long virtualAddress, int access, long satp, int levels, int regime, long mstatus) {
        long table = (satp & PPN_MASK) << 12;
        for (int level = levels - 1; level >= 0; level--) {
            long offset = table + ((virtualAddress >>> (12 + 9 * level)) & 0x1FF) * 8 - ramBase;
            if (Long.compareUnsigned(offset, ram.byteSize() - 8) > 0) {
                throw exception.raise(accessFault(access), virtualAddress);
            }
            long pte = (long) PTE.getVolatile(ram, offset);
            if ((pte & V) == 0 || (pte & (R | W)) == W || (pte & RESERVED_HIGH_BITS) != 0) {
                throw pageFault(access, virtualAddress);
            }
            long ppn = (pte >>> 10) & PPN_MASK;
            if ((pte & (R | X)) == 0) {
                if (level == 0) {
                    throw pageFault(access, virtualAddress);
                }
                table = ppn << 12;
                continue;
            }
            long superpageMask = (1L << (9 * level)) - 1;
            if ((ppn & superpageMask) != 0) {
                throw pageFault(access, virtualAddress);
            }
            int granted = leafPermissions(pte, regime, mstatus);
            if ((granted & Mmu.permissionFor(access)) == 0) {
                throw pageFault(access, virtualAddress);
            }
            long updated = pte | A | (access == Mmu.WRITE ? D : 0);
            if (updated != pte) {
                if (!PTE.compareAndSet(ram, offset, pte, updated)) {
                    return RETRY;
                }
                dirtyPages.mark(offset, 8);
            }
            permissions = (updated & D) != 0 ? granted : granted & ~Mmu.WRITE_OK;
            leafOffsetMask = (superpageMask << 12) | 0xFFF;
            return (ppn | ((virtualAddress >>> 12) & superpageMask)) << 12 | (virtualAddress & 0xFFF);
        }
        throw new IllegalStateException("page walk ran past level 0");
    }

    private int leafPermissions(long pte, int regime, long mstatus) {
        boolean userPage = (pte & U) != 0;
        if (regime == 0 && !userPage) {
            return 0;
        }
        boolean supervisorOnUserPage = regime == 1 && userPage;
        if (supervisorOnUserPage && (mstatus & Csr.SUM) == 0) {
            return 0;
        }
        int granted = 0;
        if ((pte & R) != 0 || ((pte & X) != 0 && (mstatus & Csr.MXR) != 0)) {
            granted |= Mmu.READ_OK;
        }
        if ((pte & W) != 0) {
            granted |= Mmu.WRITE_OK;
        }
        if ((pte & X) != 0 && !supervisorOnUserPage) {
            granted |= Mmu.EXECUTE_OK;
        }
        return granted;
    }

    private GuestException pageFault(int access, long virtualAddress) {
        return exception.raise(switch (access) {
            case Mmu.READ -> ExceptionCause.LOAD_PAGE_FAULT;
            case Mmu.WRITE -> ExceptionCause.STORE_PAGE_FAULT;
            default -> ExceptionCause.INSTRUCTION_PAGE_FAULT;
        }, virtualAddress);
    }

    static ExceptionCause accessFault(int access) {
        return switch (access) {
            case Mmu.READ -> ExceptionCause.LOAD_ACCESS_FAULT;
            case Mmu.WRITE -> ExceptionCause.STORE_ACCESS_FAULT;
            default -> ExceptionCause.INSTRUCTION_ACCESS_FAULT;
        };
    }
}
