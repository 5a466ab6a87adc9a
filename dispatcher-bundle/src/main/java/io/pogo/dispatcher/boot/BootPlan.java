package io.pogo.dispatcher.boot;

import io.pogo.api.cpu.CsrAddress;
import io.pogo.api.cpu.Hart;
import io.pogo.api.cpu.PrivilegeMode;
import io.pogo.api.memory.GuestMemory;
import io.pogo.api.vm.Firmware;
import io.pogo.api.vm.VmConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;

/**
 * How a VM comes up: the images to place in RAM, where its harts start and what they find in their registers.
 * Preparing a plan reads and validates every file before anything is allocated, so a bad file creates nothing.
 * The layout follows QEMU's virt machine, so the same images boot on both.
 */
public record BootPlan(List<Image> images, long entry, PrivilegeMode privilege, boolean hypercalls,
                       boolean secondaryHartsStopped, long deviceTreeAddress, long[] initrd, OptionalLong tohost) {

    /** Bytes placed at a guest-physical address; the rest up to {@code size} is zero. */
    public record Image(String what, long address, byte[] data, long size) {
    }

    /** Where a supervisor-mode kernel goes when Pogo or OpenSBI (fw_jump) is the firmware. */
    static final long KERNEL_ADDRESS = 0x8020_0000L;
    /** The device tree gets the top 2 MiB of RAM (below 3 GiB into it), as QEMU places it. */
    static final long DEVICE_TREE_SLOT = 2L << 20;
    private static final int A0 = 10;
    private static final int A1 = 11;

    public static BootPlan prepare(VmConfig config, long ramBase) {
        long ramEnd = ramBase + config.memoryBytes();
        long deviceTree = (Math.min(ramEnd, ramBase + (3L << 30)) - DEVICE_TREE_SLOT) & -DEVICE_TREE_SLOT;
        BootPlan plan = switch (config.firmware()) {
            case Firmware.None() -> {
                if (config.initrd() != null) {
                    throw new IllegalArgumentException("--initrd needs a firmware that passes it on (not --bios none)");
                }
                ElfImage kernel = ElfImage.read(config.kernel());
                yield new BootPlan(images("kernel " + config.kernel(), kernel), kernel.entry(),
                        PrivilegeMode.MACHINE, false, false, deviceTree, null, kernel.tohost());
            }
            case Firmware.Builtin() -> {
                List<Image> images = new ArrayList<>(loadable("kernel", config.kernel(), KERNEL_ADDRESS));
                long entry = images.getFirst().address();
                long[] initrd = addInitrd(images, config, entry);
                yield new BootPlan(List.copyOf(images), entry, PrivilegeMode.SUPERVISOR, true, true, deviceTree,
                        initrd, OptionalLong.empty());
            }
            case Firmware.Image(Path file) -> {
                List<Image> images = new ArrayList<>(loadable("firmware", file, ramBase));
                long entry = images.getFirst().address();
                images.addAll(loadable("kernel", config.kernel(), KERNEL_ADDRESS));
                long[] initrd = addInitrd(images, config, KERNEL_ADDRESS);
                yield new BootPlan(List.copyOf(images), entry, PrivilegeMode.MACHINE, false, false, deviceTree,
                        initrd, OptionalLong.empty());
            }
        };
        plan.checkFits(ramBase, ramEnd);
        return plan;
    }

    /** An ELF is loaded where its segments say; anything else is a raw image (a Linux Image, a firmware binary). */
    private static List<Image> loadable(String what, Path file, long rawAddress) {
        byte[] bytes = ElfImage.readAll(file);
        if (ElfImage.looksLikeElf(bytes)) {
            return images(what + " " + file, ElfImage.parse(file, bytes));
        }
        if (bytes.length == 0) {
            throw new IllegalArgumentException(file + ": empty file");
        }
        return List.of(new Image(what + " " + file, rawAddress, bytes, bytes.length));
    }

    private static List<Image> images(String what, ElfImage elf) {
        return elf.segments().stream()
                .map(segment -> new Image(what, segment.physicalAddress(), segment.data(), segment.memorySize()))
                .sorted(Comparator.comparingLong(Image::address)).toList();
    }

    /**
     * Adds the initrd far enough above the kernel that unpacking the kernel does not clobber it: half of RAM, at
     * most 128 MiB, as QEMU does.
     *
     * @return {start, end} of the initrd, or null when there is none
     */
    private static long[] addInitrd(List<Image> images, VmConfig config, long kernelEntry) {
        if (config.initrd() == null) {
            return null;
        }
        byte[] initrd = ElfImage.readAll(config.initrd());
        long start = kernelEntry + Math.min(config.memoryBytes() / 2, 128L << 20);
        images.add(new Image("initrd " + config.initrd(), start, initrd, initrd.length));
        return new long[] {start, start + initrd.length};
    }

    private void checkFits(long ramBase, long ramEnd) {
        long top = Math.min(ramEnd, deviceTreeAddress);
        Image previous = null;
        for (Image image : images.stream().sorted(Comparator.comparingLong(Image::address)).toList()) {
            if (Long.compareUnsigned(image.address(), ramBase) < 0 || Long.compareUnsigned(image.address(), top) > 0
                    || Long.compareUnsigned(image.size(), top - image.address()) > 0) {
                throw new IllegalArgumentException("%s (0x%x, %d bytes) does not fit in guest RAM [0x%x, 0x%x): use a larger --mem"
                        .formatted(image.what(), image.address(), image.size(), ramBase, top));
            }
            if (previous != null && previous.address() + previous.size() > image.address()) {
                throw new IllegalArgumentException(previous.what() + " and " + image.what() + " overlap in guest RAM");
            }
            previous = image;
        }
    }

    /** Copies the images into freshly allocated (zeroed) guest RAM. */
    public void loadInto(GuestMemory memory) {
        for (Image image : images) {
            memory.write(image.address(), image.data(), 0, image.data().length);
        }
    }

    /**
     * What each hart finds at reset, as QEMU's reset vector leaves it: a0 = hartid, a1 = the device tree; and, when
     * Pogo itself is the firmware, the counters opened to supervisor and user mode as OpenSBI opens them (Linux
     * leaves scounteren alone, and its vDSO reads the time CSR from user mode).
     */
    public void prepare(Hart hart) {
        hart.setRegister(A0, hart.id());
        hart.setRegister(A1, deviceTreeAddress);
        if (hypercalls) {
            hart.writeCsr(CsrAddress.MCOUNTEREN, 0xffff_ffffL);
            hart.writeCsr(CsrAddress.SCOUNTEREN, 0xffff_ffffL);
        }
    }
}
