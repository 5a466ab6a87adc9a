package io.pogo.api.vm;

import java.nio.file.Path;

/** What runs in the guest's machine mode (the {@code --bios} option). */
public sealed interface Firmware {

    /** Pogo provides SBI; the kernel is entered in supervisor mode at 0x80200000 with a0 = hartid, a1 = DTB. */
    record Builtin() implements Firmware {
    }

    /**
     * No firmware: the kernel (an ELF, or a raw image placed at the start of RAM) is entered in machine mode at the
     * start of RAM, where QEMU's {@code -bios none} reset vector jumps whatever the ELF's entry point says.
     */
    record None() implements Firmware {
    }

    /** A firmware image (OpenSBI, say) loaded at the start of RAM and run in virtual machine mode. */
    record Image(Path file) implements Firmware {
    }
}
