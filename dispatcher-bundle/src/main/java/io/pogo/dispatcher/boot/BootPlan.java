package io.pogo.dispatcher.boot;

import io.pogo.api.cpu.PrivilegeMode;
import io.pogo.api.memory.GuestMemory;
import io.pogo.api.vm.Firmware;
import io.pogo.api.vm.VmConfig;
import java.util.List;
import java.util.OptionalLong;

/**
 * How a VM comes up: the images to place in RAM and where its harts start. Preparing a plan reads and validates
 * every file before anything is allocated, so a bad file creates nothing.
 */
public record BootPlan(List<ElfImage.Segment> images, long entry, PrivilegeMode privilege, boolean hypercalls,
                       OptionalLong tohost) {

    public static BootPlan prepare(VmConfig config, long ramBase) {
        return switch (config.firmware()) {
            case Firmware.None() -> bareMetal(config, ramBase);
            case Firmware.Builtin() -> throw new IllegalArgumentException(
                    "--bios builtin (Pogo's SBI) is not available yet; use --bios none for bare-metal ELF guests");
            case Firmware.Image(var file) -> throw new IllegalArgumentException(
                    "--bios " + file + ": firmware images are not supported yet; use --bios none");
        };
    }

    private static BootPlan bareMetal(VmConfig config, long ramBase) {
        if (config.initrd() != null) {
            throw new IllegalArgumentException("--initrd needs a firmware that passes it on (not --bios none)");
        }
        ElfImage kernel = ElfImage.read(config.kernel());
        long ramEnd = ramBase + config.memoryBytes();
        for (ElfImage.Segment segment : kernel.segments()) {
            long start = segment.physicalAddress();
            if (Long.compareUnsigned(start, ramBase) < 0
                    || Long.compareUnsigned(start + segment.memorySize(), ramEnd) > 0) {
                throw new IllegalArgumentException("%s: segment at 0x%x (%d bytes) lies outside guest RAM [0x%x, 0x%x)"
                        .formatted(config.kernel(), start, segment.memorySize(), ramBase, ramEnd));
            }
        }
        return new BootPlan(kernel.segments(), kernel.entry(), PrivilegeMode.MACHINE, false, kernel.tohost());
    }

    /** Copies the images into freshly allocated (zeroed) guest RAM. */
    public void loadInto(GuestMemory memory) {
        for (ElfImage.Segment segment : images) {
            memory.write(segment.physicalAddress(), segment.data(), 0, segment.data().length);
        }
    }
}
