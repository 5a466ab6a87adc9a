package io.pogo.cpu;

import io.pogo.api.cpu.PrivilegeMode;

import java.nio.file.Path;

/**
 * Runs a bare-metal benchmark ELF (for instance /work/shared/bench/bench.elf) and prints wall time and MIPS.
 * Not a test: launch it with the test classpath, {@code java io.pogo.cpu.BenchMain ELF [runs]}.
 */
public final class BenchMain {
    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        Path elf = Path.of(args[0]);
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        for (int run = 0; run < runs; run++) {
            TestMachine machine = new TestMachine(64 << 20, 0, PrivilegeMode.MACHINE, false);
            machine.hart().setPc(ElfFile.load(elf, machine.memory).entry());
            long start = System.nanoTime();
            int code = machine.runToFinisher(Long.MAX_VALUE);
            double seconds = (System.nanoTime() - start) / 1e9;
            long instructions = machine.hart().instructionsRetired();
            System.out.printf("run %d: exit %d, %.3f s, %d instructions, %.0f MIPS%n", run, code, seconds,
                    instructions, instructions / seconds / 1e6);
            if (run == runs - 1) {
                System.out.print(machine.console);
            }
        }
    }
}
