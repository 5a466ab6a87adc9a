package io.pogo.cpu.mmu;

import io.pogo.api.cpu.CsrAddress;
import io.pogo.api.cpu.DebugStop;
import io.pogo.api.cpu.ExceptionCause;
import io.pogo.api.cpu.Exit;
import io.pogo.api.cpu.ExitHandler;
import io.pogo.api.cpu.ExitKind;
import io.pogo.api.cpu.MemoryAccess;
import io.pogo.api.device.MmioWindow;
import io.pogo.api.memory.DirtyPages;
import io.pogo.api.memory.GuestMemory;
import io.pogo.cpu.HartState;
import io.pogo.cpu.debug.Triggers;
import io.pogo.cpu.decode.Amo;
import io.pogo.cpu.jit.CodeCache;
import io.pogo.cpu.jit.MemoryAccessEmitter;
import io.pogo.cpu.trap.Csr;
import io.pogo.cpu.trap.GuestException;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.List;

/**
 * Guest virtual memory as one hart sees it: translation (bare, Sv39, Sv48) cached in one {@link Tlb} per regime,
 * loads, stores and atomics on guest RAM, and MMIO detection.
 *
 * <p>Misaligned loads and stores to RAM are performed in hardware, byte by byte across pages as QEMU does;
 * misaligned MMIO accesses raise the address-misaligned exception. Misaligned LR/SC/AMOs raise the
 * store/AMO-misaligned exception (load-misaligned for LR) because they cannot be made atomic.
 *
 * <p>While a load or store trigger is armed, every data access takes the slow path, which checks the triggers
 * before the access: the fast path costs nothing more for them. Compiled blocks perform the same fast path in their
 * own bytecode ({@link MemoryAccessEmitter}), so whatever must reach the slow path does it by making the data TLB's
 * tags miss, never by a check in {@link #load} or {@link #store}.
 *
 * <p>RAM overlays (device windows inside RAM, such as HTIF's tohost) behave as MMIO: their pages never enter a TLB,
 * so every access to those pages takes the slow path, which sends the overlaid bytes to the device and the rest of
 * the page to RAM. Other pages pay nothing.
 *
 * <p>While the VM's dirty pages are tracked, RAM pages enter the TLB writable only once dirty: the first store to a
 * clean page misses, and its translation marks the page before filling the entry, so later stores take the fast
 * path unrecorded. Every RAM store the slow path performs translates for writing first, so marking there covers
 * them all. An AMO on an overlay is a read and a write of the device, as QEMU
 * performs it on MMIO; LR/SC there raise an access fault.
 */
public final class Mmu {
    static final int READ = 0;
    static final int WRITE = 1;
    static final int EXECUTE = 2;
    static final int READ_OK = 1;
    static final int WRITE_OK = 2;
    static final int EXECUTE_OK = 4;
    private static final int ALL_OK = READ_OK | WRITE_OK | EXECUTE_OK;

    /** Guest RAM's layouts, by log2 of the access size; compiled blocks access RAM through them too. */
    public static final ValueLayout.OfByte BYTE = ValueLayout.JAVA_BYTE;
    public static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    public static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    public static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final HartState hart;
    public final MemorySegment ram;
    /**
     * The host segment {@link #ram} is a slice of, at {@link #ramInSpace}: TLB entries hold offsets into it, and
     * compiled regions access it, the same segment for every VM whose RAM the allocator carved from it.
     */
    public final MemorySegment hostSpace;
    private final long ramInSpace;
    private final long ramBase;
    private final long ramSize;
    private final DirtyPages dirtyPages;
    private final GuestException exception;
    /** Guest-physical [start, end) of each RAM overlay. */
    private final long[] overlayStarts;
    private final long[] overlayEnds;
    private MmioPort mmio;
    /** Which chunks of RAM are backed; a first touch of one that is not leaves the CPU. */
    private final GuestMemory memory;
    private final ExitHandler exits;
    private final PageTableWalker walker;
    private CodeCache codeCache;
    /** Indexed by effective privilege level; level 2 is unused. */
    private final Tlb[] tlbs = {new Tlb(), new Tlb(), null, new Tlb()};
    /**
     * The supervisor regime's TLB while mstatus.SUM is set: its tags allow what SUM allows (loads and stores to U
     * pages), those of {@code tlbs[1]} what it forbids, so SUM changes only which of the two is used. The kernel sets
     * and clears SUM around every access to user memory; flushing for each change made every one refill by page
     * walks. Entries are cached translations either way, and SFENCE.VMA drops them from both.
     */
    private final Tlb supervisorWithSum = new Tlb();
    /** Never filled, so no data access hits it: the data TLB while triggers watch loads and stores. */
    private final Tlb watchedTlb = new Tlb();
    private boolean watchingAccesses;
    private long translationControlBits;
    private final AtomicMemory atomics;
    private final AtomicMemory.Reservation reservation = new AtomicMemory.Reservation();

    public Tlb dataTlb;
    Tlb fetchTlb;
    /**
     * The privilege level instructions are fetched in, which {@link #fetchTlb} translates for. A change of
     * mstatus.SUM switches the supervisor's TLB but not what a pc translates to there: S-mode never executes a
     * user page, so its instruction translations are the same with SUM set or clear, and block links hold.
     */
    private int fetchPrivilege;

    public Mmu(HartState hart, GuestMemory memory, AtomicMemory atomics, GuestException exception,
        List<MmioWindow> ramOverlays, ExitHandler exits) {
        this.hart = hart;
        this.memory = memory;
        this.exits = exits;
        MemorySegment ram = memory.segment();
        long ramBase = memory.base();
        this.overlayStarts = ramOverlays.stream().mapToLong(MmioWindow::base).toArray();
        this.overlayEnds = ramOverlays.stream().mapToLong(window -> window.base() + window.size()).toArray();
        this.ram = ram;
        this.hostSpace = memory.hostSpace();
        this.ramInSpace = memory.hostOffset();
        if (hostSpace.address() + ramInSpace != ram.address()
                || ramInSpace < 0 || ramInSpace > hostSpace.byteSize() - ram.byteSize()) {
            throw new IllegalArgumentException("guest RAM is not where its host space says");
        }
        this.atomics = atomics;
        this.ramBase = ramBase;
        this.ramSize = ram.byteSize();
        this.dirtyPages = memory.dirtyPages();
        this.exception = exception;
        this.walker = new PageTableWalker(ram, ramBase, exception, this.dirtyPages);
        modeChanged();
    }

    public void attach(CodeCache codeCache, MmioPort mmio) {
        this.codeCache = codeCache;
        this.mmio = mmio;
    }

    static int permissionFor(int access) {
        return 1 << access;
    }

    /**
     * Re-derives the active TLBs after a privilege or mstatus change; MXR and MPRV changes flush, and MPP changes
     * only while MPRV makes loads and stores use it (every trap into M-mode and MRET rewrite MPP). SUM changes
     * switch the supervisor regime's TLB ({@link #supervisorWithSum}).
     */
    public void modeChanged() {
        long mstatus = hart.csr[CsrAddress.MSTATUS];
        long control = mstatus & (Csr.MXR | Csr.MPRV | ((mstatus & Csr.MPRV) != 0 ? Csr.MPP : 0));
        if (control != translationControlBits) {
            translationControlBits = control;
            flushAll();
        }
        if (hart.privilege != fetchPrivilege && codeCache != null) {
            codeCache.fetchModeChanged(fetchPrivilege, hart.privilege);
        }
        fetchPrivilege = hart.privilege;
        fetchTlb = tlbFor(hart.privilege);
        dataTlb = watchingAccesses ? watchedTlb : tlbFor(dataRegime());
    }

    /** The TLB of {@code regime} under the current mstatus.SUM: the one its page walks' permissions fit. */
    private Tlb tlbFor(int regime) {
        return regime == 1 && (hart.csr[CsrAddress.MSTATUS] & Csr.SUM) != 0 ? supervisorWithSum : tlbs[regime];
    }

    /** Sends every data access through the slow path, which checks the hart's load and store triggers, or stops. */
    public void watchAccesses(boolean watching) {
        watchingAccesses = watching;
        modeChanged();
    }

    /**
     * Before an access a load or store trigger fires on: raises the breakpoint exception of a guest's trigger, or
     * stops the hart for the debugger.
     */
    private void checkTriggers(long virtualAddress, int size, MemoryAccess access) {
        if (!watchingAccesses) {
            return;
        }
        Triggers triggers = hart.triggers;
        int trigger = triggers.accessTrigger(virtualAddress, size, access, hart.privilege);
        if (trigger >= 0) {
            throw triggers.stopsForDebugger(trigger)
                    ? exception.stopForDebugger(new DebugStop.Watchpoint(trigger, virtualAddress, access))
                    : exception.raise(ExceptionCause.BREAKPOINT, virtualAddress);
        }
    }

    private int dataRegime() {
        long mstatus = hart.csr[CsrAddress.MSTATUS];
        if (hart.privilege == 3 && (mstatus & Csr.MPRV) != 0) {
            return (int) (mstatus & Csr.MPP) >>> Csr.MPP_SHIFT;
        }
        return hart.privilege;
    }

    public void flushAll() {
        if (codeCache != null) {
            codeCache.invalidateLinks();
        }
        for (Tlb tlb : tlbs) {
            if (tlb != null) {
                tlb.flush();
            }
        }
        supervisorWithSum.flush();
    }

    /**
     * SFENCE.VMA for one address: drops the translations of the leaf that mapped it in the paged regimes (U and
     * S, with and without SUM; M-mode never translates, and M-mode with MPRV uses those). Every ASID is flushed,
     * as entries carry none.
     */
    public void flushAddress(long virtualAddress) {
        if (codeCache.linksRelyOn(virtualAddress)) {
            codeCache.invalidateLinks();
        }
        tlbs[0].flushLeaf(virtualAddress);
        tlbs[1].flushLeaf(virtualAddress);
        supervisorWithSum.flushLeaf(virtualAddress);
    }

    public void protectCode(long pageRamOffset) {
        for (Tlb tlb : tlbs) {
            if (tlb != null) {
                tlb.protectCode(ramInSpace + pageRamOffset);
            }
        }
        supervisorWithSum.protectCode(ramInSpace + pageRamOffset);
    }

    public void clearReservation() {
        reservation.clear();
    }

    /** Loads {@code 1 << sizeLog2} bytes, zero-extended. */
    public long load(long virtualAddress, int sizeLog2) {
        long[] entries = dataTlb.entries;
        int slot = Tlb.slot(virtualAddress);
        if (entries[slot + Tlb.READ_TAG] == (virtualAddress & (Tlb.PAGE_MASK | ((1L << sizeLog2) - 1)))) {
            return read(entries[slot + Tlb.RAM_OFFSET] - ramInSpace + (virtualAddress & 0xFFF), sizeLog2);
        }
        return loadSlow(virtualAddress, sizeLog2);
    }

    public void store(long virtualAddress, int sizeLog2, long value) {
        long[] entries = dataTlb.entries;
        int slot = Tlb.slot(virtualAddress);
        if (entries[slot + Tlb.WRITE_TAG] == (virtualAddress & (Tlb.PAGE_MASK | ((1L << sizeLog2) - 1)))) {
            write(entries[slot + Tlb.RAM_OFFSET] - ramInSpace + (virtualAddress & 0xFFF), sizeLog2, value);
            return;
        }
        storeSlow(virtualAddress, sizeLog2, value);
    }

    /** The RAM offset of the instruction at {@code pc}; instruction fetch from outside RAM is an access fault. */
    public long fetchOffset(long pc) {
        long[] entries = fetchTlb.entries;
        int slot = Tlb.slot(pc);
        if (entries[slot + Tlb.EXECUTE_TAG] == (pc & Tlb.PAGE_MASK)) {
            return entries[slot + Tlb.RAM_OFFSET] - ramInSpace + (pc & 0xFFF);
        }
        long physical = translate(pc, EXECUTE, hart.privilege);
        if (!isRam(physical, 2)) {
            throw exception.raise(ExceptionCause.INSTRUCTION_ACCESS_FAULT, pc);
        }
        return physical - ramBase;
    }

    /**
     * The offset bits of the leaf that maps {@code pc}, whose instruction was just fetched in the current mode; -1,
     * as for a leaf of every address, when the fetch TLB does not hold it (pages no TLB holds, such as overlays).
     */
    public long fetchLeafOffsetMask(long pc) {
        return fetchTlb.fetchLeafOffsetMask(pc);
    }

    public int fetchHalfword(long ramOffset) {
        return ram.get(SHORT, ramOffset) & 0xFFFF;
    }

    private long read(long offset, int sizeLog2) {
        return switch (sizeLog2) {
            case 0 -> ram.get(BYTE, offset) & 0xFFL;
            case 1 -> ram.get(SHORT, offset) & 0xFFFFL;
            case 2 -> ram.get(INT, offset) & 0xFFFF_FFFFL;
            default -> ram.get(LONG, offset);
        };
    }

    private void write(long offset, int sizeLog2, long value) {
        switch (sizeLog2) {
            case 0 -> ram.set(BYTE, offset, (byte) value);
            case 1 -> ram.set(SHORT, offset, (short) value);
            case 2 -> ram.set(INT, offset, (int) value);
            default -> ram.set(LONG, offset, value);
        }
    }

    /** A load that missed the TLB fast path, here or in a compiled block ({@link MemoryAccessEmitter}). */
    public long loadSlow(long virtualAddress, int sizeLog2) {
        int size = 1 << sizeLog2;
        checkTriggers(virtualAddress, size, MemoryAccess.LOAD);
        if ((virtualAddress & (size - 1)) != 0) {
            long[] offsets = misalignedOffsets(virtualAddress, size, READ, ExceptionCause.LOAD_ADDRESS_MISALIGNED);
            long value = 0;
            for (int i = size - 1; i >= 0; i--) {
                value = value << 8 | read(byteOffset(offsets, virtualAddress, i), 0);
            }
            return value;
        }
        long physical = translate(virtualAddress, READ, dataRegime());
        if (isPlainRam(physical, size)) {
            return read(physical - ramBase, sizeLog2);
        }
        return mmio.load(virtualAddress, physical, size);
    }

    /** A store that missed the TLB fast path, here or in a compiled block ({@link MemoryAccessEmitter}). */
    public void storeSlow(long virtualAddress, int sizeLog2, long value) {
        int size = 1 << sizeLog2;
        checkTriggers(virtualAddress, size, MemoryAccess.STORE);
        if ((virtualAddress & (size - 1)) != 0) {
            long[] offsets = misalignedOffsets(virtualAddress, size, WRITE, ExceptionCause.STORE_ADDRESS_MISALIGNED);
            for (int i = 0; i < size; i++) {
                long offset = byteOffset(offsets, virtualAddress, i);
                write(offset, 0, value >>> (8 * i));
                codeCache.stored(offset, 1);
            }
            return;
        }
        long physical = translate(virtualAddress, WRITE, dataRegime());
        if (isPlainRam(physical, size)) {
            write(physical - ramBase, sizeLog2, value);
            codeCache.stored(physical - ramBase, size);
            return;
        }
        mmio.store(virtualAddress, physical, size, value);
    }

    /**
     * Translates both pages a misaligned access touches (the second fault reports the second page's address) and
     * returns their RAM offsets; outside plain RAM (MMIO, overlays) the access cannot be split and raises
     * {@code misaligned}.
     */
    private long[] misalignedOffsets(long virtualAddress, int size, int access, ExceptionCause misaligned) {
        long last = virtualAddress + size - 1;
        long first = translate(virtualAddress, access, dataRegime());
        long second = translate((last & Tlb.PAGE_MASK) == (virtualAddress & Tlb.PAGE_MASK) ? last : last & Tlb.PAGE_MASK,
                access, dataRegime());
        int firstPageBytes = (int) Math.min(size, 4096 - (virtualAddress & 0xFFF));
        if (!isPlainRam(first, firstPageBytes)
                || firstPageBytes < size && !isPlainRam(second, size - firstPageBytes)) {
            throw exception.raise(misaligned, virtualAddress);
        }
        return new long[] {(first & Tlb.PAGE_MASK) - ramBase, (second & Tlb.PAGE_MASK) - ramBase};
    }

    private static long byteOffset(long[] pageOffsets, long virtualAddress, int index) {
        long address = virtualAddress + index;
        boolean secondPage = (address & Tlb.PAGE_MASK) != (virtualAddress & Tlb.PAGE_MASK);
        return pageOffsets[secondPage ? 1 : 0] + (address & 0xFFF);
    }

    /** LR: loads and reserves. */
    public long loadReserved(long virtualAddress, int sizeLog2) {
        checkTriggers(virtualAddress, 1 << sizeLog2, MemoryAccess.LOAD);
        long offset = atomicOffset(virtualAddress, sizeLog2, READ, ExceptionCause.LOAD_ADDRESS_MISALIGNED);
        return atomics.loadReserved(offset, sizeLog2, reservation);
    }

    /** SC: returns 0 on success, 1 on failure, as rd receives it. */
    public long storeConditional(long virtualAddress, int sizeLog2, long value) {
        checkTriggers(virtualAddress, 1 << sizeLog2, MemoryAccess.STORE);
        long offset = atomicOffset(virtualAddress, sizeLog2, WRITE, ExceptionCause.STORE_ADDRESS_MISALIGNED);
        if (!atomics.storeConditional(offset, sizeLog2, value, reservation)) {
            return 1;
        }
        codeCache.stored(offset, 1 << sizeLog2);
        return 0;
    }

    /** AMO: atomically applies {@code function}; returns the old value, sign-extended for words. */
    public long atomic(long virtualAddress, int sizeLog2, int function, long operand) {
        checkTriggers(virtualAddress, 1 << sizeLog2, MemoryAccess.LOAD);
        checkTriggers(virtualAddress, 1 << sizeLog2, MemoryAccess.STORE);
        int size = 1 << sizeLog2;
        long physical = atomicPhysical(virtualAddress, sizeLog2, WRITE, ExceptionCause.STORE_ADDRESS_MISALIGNED);
        if (overlaid(physical, size)) {
            long old = mmio.load(virtualAddress, physical, size);
            long signed = sizeLog2 == 2 ? (int) old : old;
            long source = sizeLog2 == 2 ? (int) operand : operand;
            mmio.store(virtualAddress, physical, size, Amo.apply(function, signed, source));
            return signed;
        }
        long offset = ramOffset(physical, virtualAddress, size, WRITE);
        long old = atomics.readModifyWrite(offset, sizeLog2, function, operand);
        codeCache.stored(offset, size);
        return old;
    }

    private long atomicOffset(long virtualAddress, int sizeLog2, int access, ExceptionCause misaligned) {
        long physical = atomicPhysical(virtualAddress, sizeLog2, access, misaligned);
        return ramOffset(physical, virtualAddress, 1 << sizeLog2, access);
    }

    /**
     * The physical address of an aligned atomic access: from the data TLB when it holds the page for the access (an
     * AMO or SC needs the write tag a store would, an LR the read tag), else from a walk. Atomics had always walked:
     * an idle Linux guest's timer wake-up runs some 25 of them on the few pages of its locks and counters.
     */
    private long atomicPhysical(long virtualAddress, int sizeLog2, int access, ExceptionCause misaligned) {
        if ((virtualAddress & ((1L << sizeLog2) - 1)) != 0) {
            throw exception.raise(misaligned, virtualAddress);
        }
        long hostOffset = dataTlb.hostOffset(virtualAddress & Tlb.PAGE_MASK,
                access == WRITE ? Tlb.WRITE_TAG : Tlb.READ_TAG);
        if (hostOffset != -1) {
            return hostOffset - ramInSpace + ramBase + (virtualAddress & 0xFFF);
        }
        return translate(virtualAddress, access, dataRegime());
    }

    private long ramOffset(long physical, long virtualAddress, int size, int access) {
        if (!isPlainRam(physical, size)) {
            throw exception.raise(PageTableWalker.accessFault(access), virtualAddress);
        }
        return physical - ramBase;
    }

    private boolean isRam(long physicalAddress, int size) {
        return Long.compareUnsigned(physicalAddress - ramBase, ramSize - size) <= 0;
    }

    /** RAM that no device overlays. */
    private boolean isPlainRam(long physicalAddress, int size) {
        return isRam(physicalAddress, size) && !overlaid(physicalAddress, size);
    }

    private boolean overlaid(long physicalAddress, int size) {
        for (int i = 0; i < overlayStarts.length; i++) {
            if (Long.compareUnsigned(physicalAddress, overlayEnds[i]) < 0
                    && Long.compareUnsigned(overlayStarts[i], physicalAddress + size) < 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * Asks the monitor to back the chunk holding {@code page}, on the TLB-miss path only: a page in the TLB is
     * backed. When the monitor cannot back it yet, the instruction does not happen and runs again later.
     */
    private void firstTouch(long page) {
        if (exits.handle(new Exit(ExitKind.UNBACKED_MEMORY, 0, hart.pc, page, 0, 0), hart) == 0) {
            throw exception.retryLater();
        }
    }

    /**
     * The physical address a debugger reads at {@code virtualAddress} in the current privilege mode, or -1 when no
     * page maps it: no fault, no TLB fill, no accessed or dirty bit, no permission check.
     */
    public long translateForDebugger(long virtualAddress) {
        long satp = hart.csr[CsrAddress.SATP];
        if (hart.privilege == 3 || (int) (satp >>> 60) == PageTableWalker.SATP_MODE_BARE) {
            return virtualAddress;
        }
        return walker.peek(virtualAddress, satp);
    }

    /** Translates and, for RAM pages no device overlays, fills the regime's TLB; raises page and access faults. */
    private long translate(long virtualAddress, int access, int regime) {
        long satp = hart.csr[CsrAddress.SATP];
        boolean paging = regime != 3 && (int) (satp >>> 60) != PageTableWalker.SATP_MODE_BARE;
        long physical;
        int permissions;
        long leafOffsetMask;
        if (paging) {
            physical = walker.walk(virtualAddress, access, satp, regime, hart.csr[CsrAddress.MSTATUS]);
            permissions = walker.permissions;
            leafOffsetMask = walker.leafOffsetMask;
        } else {
            physical = virtualAddress;
            permissions = ALL_OK;
            leafOffsetMask = 0xFFF;
        }
        long page = physical & Tlb.PAGE_MASK;
        if (isPlainRam(page, 4096)) {
            if (!memory.backed(page)) {
                firstTouch(page);
            }
            long pageOffset = page - ramBase;
            boolean tracking = dirtyPages.tracking();
            if (tracking && access == WRITE) {
                dirtyPages.mark(pageOffset, 4096);
            }
            boolean storesTakeSlowPath = codeCache.hasCode(pageOffset) || tracking && !dirtyPages.isDirty(pageOffset);
            tlbFor(regime).fill(virtualAddress, ramInSpace + pageOffset, permissions, storesTakeSlowPath,
                    leafOffsetMask);
        }
        return physical;
    }
}
