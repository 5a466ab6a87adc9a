package io.pogo.cpu;

import io.pogo.api.cpu.Exit;
import io.pogo.api.cpu.ExitHandler;
import io.pogo.api.cpu.ExitKind;
import io.pogo.api.cpu.Hart;
import io.pogo.api.cpu.HartConfig;
import io.pogo.api.cpu.PrivilegeMode;
import io.pogo.api.cpu.RunOutcome;
import io.pogo.api.cpu.VCpu;
import io.pogo.api.device.ConsoleChannel;
import io.pogo.api.device.PowerControl;
import io.pogo.api.device.Timebase;
import io.pogo.api.cpu.Interrupt;
import io.pogo.api.dispatch.ExitRoutine;
import io.pogo.api.dispatch.HartControl;
import io.pogo.api.dispatch.MmioBus;
import io.pogo.api.dispatch.VmContext;
import io.pogo.api.memory.GuestMemory;
import io.pogo.interpreter.privileged.CsrAccessRoutine;
import io.pogo.interpreter.privileged.FenceVmaRoutine;
import io.pogo.interpreter.privileged.TrapReturnRoutine;
import io.pogo.interpreter.privileged.WaitForInterruptRoutine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * A minimal virt board around one vCPU for tests: RAM at 0x8000_0000, a UART transmit register at 0x1000_0000
 * captured into a string, the SiFive test finisher at 0x10_0000, and the real privileged routines.
 */
final class TestMachine implements ExitHandler, VmContext {
    static final long RAM_BASE = 0x8000_0000L;
    static final long UART = 0x1000_0000L;
    static final long FINISHER = 0x10_0000L;
    private static final int UART_LINE_STATUS = 5;
    private static final long TRANSMITTER_EMPTY = 0x60;
    private static final long TIMEBASE_HZ = 10_000_000;

    final TestMemory memory;
    final VCpu vcpu;
    final StringBuilder console = new StringBuilder();
    private final Map<ExitKind, ExitRoutine> routines = new EnumMap<>(ExitKind.class);
    private final Map<ExitKind, Integer> exitCounts = new EnumMap<>(ExitKind.class);
    private Integer finisherValue;

    TestMachine(long ramSize, long resetPc, PrivilegeMode privilege, boolean hypercalls) {
        memory = new TestMemory(RAM_BASE, ramSize);
        vcpu = new Rv64VCpuFactory().create(new HartConfig(0, resetPc, privilege, hypercalls), memory, this, () -> {
        });
        CsrAccessRoutine csr = new CsrAccessRoutine();
        routines.put(ExitKind.CSR_ACCESS, csr);
        routines.put(ExitKind.SATP_WRITE, csr);
        TrapReturnRoutine trapReturn = new TrapReturnRoutine();
        routines.put(ExitKind.MRET, trapReturn);
        routines.put(ExitKind.SRET, trapReturn);
        routines.put(ExitKind.WFI, new WaitForInterruptRoutine());
        routines.put(ExitKind.SFENCE_VMA, new FenceVmaRoutine());
    }

    /** Boots a bare-metal guest ELF from guests/target/elf in M-mode at its entry point. */
    static TestMachine boot(String guest) {
        Path elf = guestElf(guest);
        try {
            TestMachine probe = new TestMachine(32 << 20, 0, PrivilegeMode.MACHINE, false);
            long entry = ElfFile.load(elf, probe.memory).entry();
            probe.hart().setPc(entry);
            return probe;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path guestElf(String guest) {
        Path elf = Path.of("../../guests/target/elf", guest + ".elf").toAbsolutePath().normalize();
        if (!Files.isRegularFile(elf)) {
            throw new IllegalStateException(elf + " is missing: build the guests first (make -C guests)");
        }
        return elf;
    }

    Hart hart() {
        return vcpu.hart();
    }

    /** Runs until the guest writes the finisher; returns its exit code (0 = pass). */
    int runToFinisher(long instructionLimit) {
        long start = hart().instructionsRetired();
        while (finisherValue == null) {
            if (hart().instructionsRetired() - start > instructionLimit) {
                throw new AssertionError("guest did not finish within " + instructionLimit
                        + " instructions; pc=0x" + Long.toHexString(hart().pc()) + " console: " + console);
            }
            if (vcpu.run(100_000) == RunOutcome.WAITING_FOR_INTERRUPT && !vcpu.hasWakeupInterrupt()) {
                throw new AssertionError("guest waits for an interrupt that never comes; console: " + console);
            }
        }
        int value = finisherValue;
        return switch (value & 0xFFFF) {
            case 0x5555 -> 0;
            case 0x3333 -> value >>> 16;
            default -> throw new AssertionError("unexpected finisher value 0x" + Integer.toHexString(value));
        };
    }

    int exits(ExitKind kind) {
        return exitCounts.getOrDefault(kind, 0);
    }

    @Override
    public long handle(Exit exit, Hart hart) {
        exitCounts.merge(exit.kind(), 1, Integer::sum);
        return switch (exit.kind()) {
            case MMIO_LOAD -> exit.address() == UART + UART_LINE_STATUS ? TRANSMITTER_EMPTY : 0;
            case MMIO_STORE -> {
                if (exit.address() == UART) {
                    console.append((char) exit.value());
                } else if (exit.address() == FINISHER) {
                    finisherValue = (int) exit.value();
                    vcpu.kick();
                }
                yield 0;
            }
            case HYPERCALL -> throw new AssertionError("unexpected hypercall at 0x" + Long.toHexString(exit.pc()));
            default -> routines.get(exit.kind()).handle(exit, hart, this);
        };
    }

    @Override
    public String name() {
        return "test";
    }

    @Override
    public GuestMemory memory() {
        return memory;
    }

    @Override
    public MmioBus bus() {
        throw new UnsupportedOperationException("the test machine decodes MMIO itself");
    }

    @Override
    public ConsoleChannel console() {
        throw new UnsupportedOperationException("the test machine captures the UART itself");
    }

    @Override
    public PowerControl power() {
        throw new UnsupportedOperationException("the test machine has no power control");
    }

    /** Time advances with retired instructions, so runs are deterministic. */
    @Override
    public Timebase timebase() {
        return new Timebase() {
            @Override
            public long ticks() {
                return vcpu.hart().instructionsRetired() / 10;
            }

            @Override
            public long frequency() {
                return TIMEBASE_HZ;
            }

            @Override
            public void arm(int hartId, Interrupt interrupt, long deadline) {
                throw new UnsupportedOperationException("the test machine has no timer");
            }
        };
    }

    @Override
    public List<Hart> harts() {
        return List.of(vcpu.hart());
    }

    @Override
    public HartControl hartControl() {
        throw new UnsupportedOperationException("the test machine has one hart, always running");
    }
}
