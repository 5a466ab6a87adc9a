package io.pogo.allocator.memory;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.BitSet;

/**
 * Host virtual memory from the kernel (Linux): a reservation the kernel backs page by page on first touch,
 * and a count of the pages it has backed so far. Guest accesses pay nothing for this: the first-touch fault is
 * taken by the host MMU. A call's own failure is an IllegalStateException naming it; an Error (the heap exhausted
 * while a count allocates) is the host's and goes on unwrapped, so the process says what it ran out of.
 */
final class HostPages {

    private static final int PROT_NONE = 0;
    private static final int PROT_READ_WRITE = 0x3;
    private static final int MAP_FIXED = 0x10;
    private static final int MAP_PRIVATE_ANONYMOUS_NORESERVE = 0x02 | 0x20 | 0x4000;
    private static final int MADV_DONTNEED = 4;
    private static final int MADV_HUGEPAGE = 14;
    private static final int MADV_NOHUGEPAGE = 15;
    private static final long HUGE_PAGE = HostSpace.ALIGNMENT;
    private static final long PAGE = 4096;
    private static final long LOW_BIT_OF_EACH_BYTE = 0x0101_0101_0101_0101L;
    private static final int COUNT_CHUNK = 512;
    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle MMAP = function("mmap", FunctionDescriptor.of(ValueLayout.ADDRESS,
            ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG));
    /**
     * mincore and madvise as one shape of call, (address, length, a word) returning an int: mincore's vector passed
     * as its address, madvise's advice widened (the callee reads the low half of the register). Each shape of
     * downcall spins classes of its own, 10-30 ms of a start at load; a second function of a shape already linked
     * reuses them (2-5 ms), and every VM's creation advises its RAM.
     */
    private static final FunctionDescriptor ADDRESS_LENGTH_WORD = FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG);
    private static final MethodHandle MINCORE = function("mincore", ADDRESS_LENGTH_WORD);
    private static final MethodHandle MADVISE = function("madvise", ADDRESS_LENGTH_WORD);

    private HostPages() {
    }

    /**
     * Reserves {@code size} bytes of host address space for good: inaccessible and unbacked until {@link #remap}
     * makes part of it accessible, and counted against no commit limit meanwhile. Null if the host refuses.
     */
    static MemorySegment reserveAddressSpace(long size) {
        MemorySegment address = mmap(MemorySegment.NULL, size, PROT_NONE, MAP_PRIVATE_ANONYMOUS_NORESERVE);
        return address.address() == -1L ? null : address.reinterpret(size);
    }

    /**
     * Replaces {@code range} (page-aligned, inside a reservation) with fresh zero pages, backed only where touched:
     * readable and writable, or inaccessible again. Whatever the range held goes back to the kernel.
     *
     * <p>An accessible range is then advised to be backed with 2 MiB pages (transparent huge pages) where the kernel
     * can, as QEMU advises its guest RAM: a first touch takes one host fault for 2 MiB instead of one for each 4 KiB
     * page (some 10-30 µs each on a virtualized host, most of the time of a guest filling fresh memory), and a walk
     * of the host's page table (or the hypervisor's under it) covers 2 MiB. The advice belongs to the mapping, so it
     * follows the mmap: advice given before it would be dropped with the mapping it replaces. The range starts on a
     * 2 MiB boundary ({@link HostSpace#ALIGNMENT}), so its huge pages line up with the guest's. A hint only: a host
     * without transparent huge pages refuses it, and the range stays in 4 KiB pages.
     */
    static void remap(MemorySegment range, boolean accessible) {
        MemorySegment address = mmap(range, range.byteSize(), accessible ? PROT_READ_WRITE : PROT_NONE,
                MAP_PRIVATE_ANONYMOUS_NORESERVE | MAP_FIXED);
        if (address.address() != range.address()) {
            throw new IllegalStateException("mmap(MAP_FIXED) failed for " + (range.byteSize() >> 20) + "M");
        }
        if (accessible) {
            advise(range, MADV_HUGEPAGE);
        }
    }

    private static int advise(MemorySegment range, int advice) {
        try {
            return (int) MADVISE.invokeExact(range, range.byteSize(), (long) advice);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("madvise", e);
        }
    }

    private static MemorySegment mmap(MemorySegment address, long size, int protection, int flags) {
        try {
            return (MemorySegment) MMAP.invokeExact(address, size, protection, flags, -1, 0L);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("mmap", e);
        }
    }

    /**
     * Hands the host memory behind {@code pages} (page-aligned, whole pages, inside a slice) back to the kernel:
     * private anonymous pages read as zero when next touched, and are backed again only then.
     *
     * <p>A 2 MiB range the pages leave partly backed is advised against huge pages from then on: khugepaged would
     * otherwise gather it into one huge page again within seconds (it does with up to 511 of its 512 pages missing,
     * this host's {@code max_ptes_none}), and what a balloon gave back would be held again. The guest's next touches
     * there are backed in 4 KiB pages. A range emptied whole keeps its advice: khugepaged leaves an empty range alone.
     * Slices are whole 2 MiB ranges, so the ranges around the pages are part of the same mapping.
     */
    static void discard(MemorySegment pages) {
        if (advise(pages, MADV_DONTNEED) != 0) {
            throw new IllegalStateException("madvise(MADV_DONTNEED) failed");
        }
        long first = pages.address();
        long end = first + pages.byteSize();
        long head = first & -HUGE_PAGE;
        long tail = (end - 1) & -HUGE_PAGE;
        keepFromHugePagesIfPartly(head, first, end);
        if (tail != head) {
            keepFromHugePagesIfPartly(tail, first, end);
        }
    }

    /** Advises the 2 MiB range at {@code range} against huge pages unless [first, end) covers it whole. */
    private static void keepFromHugePagesIfPartly(long range, long first, long end) {
        if (range < first || range + HUGE_PAGE > end) {
            advise(MemorySegment.ofAddress(range).reinterpret(HUGE_PAGE), MADV_NOHUGEPAGE);
        }
    }

    /**
     * Bytes of {@code pages} the kernel has backed with host memory. Counted without building the set of pages: it
     * is polled while a VM runs.
     */
    static long resident(MemorySegment pages) {
        long[] count = new long[1];
        scan(pages, (word, bits) -> count[0] += Long.bitCount(bits));
        return count[0] * PAGE;
    }

    /** The pages of {@code pages} the kernel has backed with host memory, one bit each. */
    static BitSet backed(MemorySegment pages) {
        BitSet backed = new BitSet((int) ((pages.byteSize() + PAGE - 1) / PAGE));
        scan(pages, (word, bits) -> {
            for (long rest = bits; rest != 0; rest &= rest - 1) {
                backed.set((int) (word * Long.BYTES + (Long.numberOfTrailingZeros(rest) >>> 3)));
            }
        });
        return backed;
    }

    /** What {@link #scan} hands on: for each word of eight pages, the low bit of each page's byte if backed. */
    private interface BackedWord {
        void accept(long word, long bits);
    }

    private static void scan(MemorySegment pages, BackedWord each) {
        long count = (pages.byteSize() + PAGE - 1) / PAGE;
        try (Arena arena = Arena.ofConfined()) {
            // a byte per page, its low bit set when backed; read eight at a time (the padding is zero)
            MemorySegment vector = arena.allocate((count + Long.BYTES - 1) & -Long.BYTES, Long.BYTES);
            int result = (int) MINCORE.invokeExact(pages, pages.byteSize(), vector.address());
            if (result != 0) {
                throw new IllegalStateException("mincore failed");
            }
            // copied out in chunks: one bulk copy costs less than a segment access per word, compiled or not
            long[] chunk = new long[COUNT_CHUNK];
            long words = vector.byteSize() / Long.BYTES;
            for (long word = 0; word < words; word += COUNT_CHUNK) {
                int length = (int) Math.min(COUNT_CHUNK, words - word);
                MemorySegment.copy(vector, ValueLayout.JAVA_LONG, word * Long.BYTES, chunk, 0, length);
                for (int i = 0; i < length; i++) {
                    long bits = chunk[i] & LOW_BIT_OF_EACH_BYTE;
                    if (bits != 0) {
                        each.accept(word + i, bits);
                    }
                }
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("mincore", e);
        }
    }

    private static MethodHandle function(String name, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(), descriptor);
    }
}
