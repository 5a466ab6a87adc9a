package io.pogo.dispatcher.boot;

import io.pogo.api.cpu.CsrAddress;
import io.pogo.api.cpu.Hart;
import io.pogo.api.cpu.PrivilegeMode;
import io.pogo.api.device.MmioWindow;
import io.pogo.api.memory.GuestMemory;
import io.pogo.api.vm.Firmware;
import io.pogo.api.vm.VmConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * How a VM comes up: the images to place in RAM, where its harts start and what they find in their registers.
 * Preparing a plan reads and validates every file before anything is allocated, so a bad file creates nothing.
 * The layout follows QEMU's virt machine, so the same images boot on both.
 *
 * @param hostInterface the HTIF words of a loaded ELF that defines {@code tohost}
 * @param deviceTree    the user's device tree ({@code --dtb}), or null when the board describes itself
 */
public record BootPlan(List<Image> images, long entry, PrivilegeMode privilege, boolean hypercalls,
                       boolean secondaryHartsStopped, long deviceTreeAddress, long[] initrd,
                       Optional<HostInterface> hostInterface, byte[] deviceTree) {

    /** Contents placed at a guest-physical address; the rest up to {@code size} is zero. */
    public record Image(String what, long address, Contents contents, long size) {
    }

    /**
     * What an image puts in RAM: an ELF segment's bytes, or a whole raw file (a Linux Image, an initrd), which is
     * copied from the file when the plan is loaded rather than held in the heap between preparing and loading: those
     * are megabytes that would outlive the boot as dead space in the heap's old generation.
     */
    public sealed interface Contents {
        long length();
    }

    public record Bytes(byte[] data) implements Contents {
        @Override
        public long length() {
            return data.length;
        }
    }

    public record WholeFile(Path file, long length) implements Contents {
    }

    private static final int COPY_CHUNK = 64 << 10;

    /**
     * Where an ELF keeps its HTIF words. The device covers both, from the lower to the end of the higher, as QEMU
     * maps it.
     */
    public record HostInterface(long tohost, OptionalLong fromhost) {

        public MmioWindow window() {
            long base = fromhost.isPresent() ? Math.min(tohost, fromhost.getAsLong()) : tohost;
            long end = fromhost.isPresent() ? Math.max(tohost, fromhost.getAsLong()) + 8 : tohost + 8;
            return new MmioWindow(base, end - base);
        }

        /** The options of the {@code htif} device type that place its registers here. */
        public Map<String, String> options() {
            Map<String, String> options = new LinkedHashMap<>();
            options.put("tohost", "0x" + Long.toHexString(tohost));
            fromhost.ifPresent(address -> options.put("fromhost", "0x" + Long.toHexString(address)));
            return options;
        }
    }

    /** Where a supervisor-mode kernel goes when Pogo or OpenSBI (fw_jump) is the firmware. */
    static final long KERNEL_ADDRESS = 0x8020_0000L;
    /** The device tree gets the top 2 MiB of RAM (below 3 GiB into it), as QEMU places it. */
    static final long DEVICE_TREE_SLOT = 2L << 20;
    private static final int A0 = 10;
    private static final int A1 = 11;
    /** menvcfg.STCE: Sstc's stimecmp for the supervisor. */
    private static final long ENVCFG_STCE = 1L << 63;

    /** What one file puts in RAM, and its HTIF words if it is an ELF that has them. */
    private record Loaded(List<Image> images, Optional<HostInterface> hostInterface) {
    }

    public static BootPlan prepare(VmConfig config, long ramBase) {
        long ramEnd = ramBase + config.memoryBytes();
        long deviceTreeAddress = (Math.min(ramEnd, ramBase + (3L << 30)) - DEVICE_TREE_SLOT) & -DEVICE_TREE_SLOT;
        List<Image> images = new ArrayList<>();
        long entry;
        PrivilegeMode privilege;
        long[] initrd = null;
        Optional<HostInterface> hostInterface;
        switch (config.firmware()) {
            case Firmware.None() -> {
                if (config.initrd() != null) {
                    throw new IllegalArgumentException("--initrd needs a firmware that passes it on (not --bios none)");
                }
                Loaded kernel = load("kernel", config.kernel(), ramBase, ramBase);
                images.addAll(kernel.images());
                entry = ramBase;
                privilege = PrivilegeMode.MACHINE;
                hostInterface = kernel.hostInterface();
            }
            case Firmware.Builtin() -> {
                Loaded kernel = load("kernel", config.kernel(), KERNEL_ADDRESS, ramBase);
                images.addAll(kernel.images());
                entry = images.getFirst().address();
                privilege = PrivilegeMode.SUPERVISOR;
                initrd = addInitrd(images, config, entry);
                hostInterface = kernel.hostInterface();
            }
            case Firmware.Image(Path file) -> {
                Loaded firmware = load("firmware", file, ramBase, ramBase);
                images.addAll(firmware.images());
                entry = images.getFirst().address();
                Loaded kernel = load("kernel", config.kernel(), KERNEL_ADDRESS, ramBase);
                images.addAll(kernel.images());
                privilege = PrivilegeMode.MACHINE;
                initrd = addInitrd(images, config, KERNEL_ADDRESS);
                hostInterface = kernel.hostInterface().or(firmware::hostInterface);
            }
        }
        boolean builtin = config.firmware() instanceof Firmware.Builtin;
        byte[] deviceTree = config.deviceTree() == null ? null
                : GivenDeviceTree.load(config.deviceTree(), config.append(), initrd);
        BootPlan plan = new BootPlan(List.copyOf(images), entry, privilege, builtin, builtin, deviceTreeAddress,
                initrd, hostInterface, deviceTree);
        plan.checkFits(ramBase, ramEnd);
        return plan;
    }

    /**
     * An ELF is loaded where its segments say; anything else is a raw image (a Linux Image, a firmware binary)
     * placed at {@code rawAddress}.
     */
    private static Loaded load(String what, Path file, long rawAddress, long ramBase) {
        if (ElfImage.looksLikeElf(ElfImage.readStart(file, 4))) {
            ElfImage elf = ElfImage.parse(file, ElfImage.readAll(file));
            Optional<HostInterface> hostInterface = elf.tohost().isPresent()
                    ? Optional.of(new HostInterface(elf.tohost().getAsLong(), elf.fromhost()))
                    : Optional.empty();
            return new Loaded(inRam(what + " " + file, elf, ramBase), hostInterface);
        }
        long length = ElfImage.size(file);
        if (length == 0) {
            throw new IllegalArgumentException(file + ": empty file");
        }
        return new Loaded(List.of(new Image(what + " " + file, rawAddress, new WholeFile(file, length), length)),
                Optional.empty());
    }

    /**
     * The parts of an ELF's segments from the start of RAM up, as QEMU's loader leaves them: it writes a segment
     * only where RAM is, so the ELF header page that {@code -Ttext=0x80000000} puts just below RAM is dropped.
     */
    private static List<Image> inRam(String what, ElfImage elf, long ramBase) {
        List<Image> images = new ArrayList<>();
        for (ElfImage.Segment segment : elf.segments()) {
            long start = segment.physicalAddress();
            long end = start + segment.memorySize();
            if (Long.compareUnsigned(end, ramBase) <= 0) {
                continue;
            }
            long below = Long.compareUnsigned(start, ramBase) < 0 ? ramBase - start : 0;
            byte[] data = segment.data();
            byte[] kept = below >= data.length ? new byte[0] : Arrays.copyOfRange(data, (int) below, data.length);
            images.add(new Image(what, start + below, new Bytes(kept), segment.memorySize() - below));
        }
        if (images.isEmpty()) {
            throw new IllegalArgumentException(("%s: nothing to load in guest RAM: every loadable segment lies below"
                    + " 0x%x (link it at 0x%x)").formatted(what, ramBase, ramBase));
        }
        images.sort(Comparator.comparingLong(Image::address));
        return images;
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
        long length = ElfImage.size(config.initrd());
        long start = kernelEntry + Math.min(config.memoryBytes() / 2, 128L << 20);
        images.add(new Image("initrd " + config.initrd(), start, new WholeFile(config.initrd(), length), length));
        return new long[] {start, start + length};
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
        if (deviceTree != null && deviceTree.length > DEVICE_TREE_SLOT) {
            throw new IllegalArgumentException("the device tree (%d bytes) is larger than the %d bytes kept for it"
                    .formatted(deviceTree.length, DEVICE_TREE_SLOT));
        }
    }

    /**
     * Copies the images into freshly allocated (zeroed) guest RAM. A file that changed since the plan was prepared
     * is refused rather than loaded in part.
     */
    public void loadInto(GuestMemory memory) {
        for (Image image : images) {
            switch (image.contents()) {
                case Bytes(byte[] data) -> memory.write(image.address(), data, 0, data.length);
                case WholeFile(Path file, long length) -> copy(file, length, image.address(), memory);
            }
        }
    }

    private static void copy(Path file, long length, long address, GuestMemory memory) {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] chunk = new byte[COPY_CHUNK];
            long copied = 0;
            while (copied < length) {
                int read = in.read(chunk, 0, (int) Math.min(chunk.length, length - copied));
                if (read < 0) {
                    break;
                }
                memory.write(address + copied, chunk, 0, read);
                copied += read;
            }
            if (copied != length || in.read() >= 0) {
                throw new IllegalArgumentException(file + ": changed while it was being loaded");
            }
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read: " + e.getMessage());
        }
    }

    /**
     * What each hart finds at reset, as QEMU's reset vector leaves it: a0 = hartid, a1 = the device tree; and, when
     * Pogo itself is the firmware, the counters opened to supervisor and user mode and Sstc's stimecmp opened to
     * supervisor mode, as OpenSBI opens them (Linux leaves scounteren alone, its vDSO reads the time CSR from user
     * mode, and it programs stimecmp itself when the device tree lists sstc).
     */
    public void prepare(Hart hart) {
        hart.setRegister(A0, hart.id());
        hart.setRegister(A1, deviceTreeAddress);
        if (hypercalls) {
            hart.writeCsr(CsrAddress.MCOUNTEREN, 0xffff_ffffL);
            hart.writeCsr(CsrAddress.SCOUNTEREN, 0xffff_ffffL);
            hart.writeCsr(CsrAddress.MENVCFG, ENVCFG_STCE);
        }
    }
}
