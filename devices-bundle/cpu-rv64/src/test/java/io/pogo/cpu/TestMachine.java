package io.pogo.cpu;

import io.pogo.allocator.cpu.WaitForInterruptRoutine;
import io.pogo.api.cpu.CsrAddress;
import io.pogo.api.cpu.Exit;
import io.pogo.api.cpu.ExitHandler;
import io.pogo.api.cpu.ExitKind;
import io.pogo.api.cpu.Hart;
import io.pogo.api.cpu.HartConfig;
import io.pogo.api.cpu.Interrupt;
import io.pogo.api.cpu.PrivilegeMode;
import io.pogo.api.cpu.RunOutcome;
import io.pogo.api.cpu.VCpu;
import io.pogo.api.device.ConsoleChannel;
import io.pogo.api.device.MmioDevice;
import io.pogo.api.device.MmioWindow;
import io.pogo.api.device.PowerControl;
import io.pogo.api.device.Timebase;
import io.pogo.api.dispatch.ExitRoutine;
import io.pogo.api.dispatch.HartControl;
import io.pogo.api.dispatch.MmioBus;
import io.pogo.api.dispatch.VmContext;
import io.pogo.api.memory.GuestMemory;
import io.pogo.interpreter.mmio.MmioForwarding;
import io.pogo.interpreter.privileged.CsrAccessRoutine;
import io.pogo.interpreter.privileged.FenceVmaRoutine;
import io.pogo.interpreter.privileged.TrapReturnRoutine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A minimal virt board for tests: RAM at 0x8000_0000, a UART transmit register at 0x1000_0000 captured into a
 * string, the SiFive test finisher at 0x10_0000, a CLINT at 0x200_0000, the real privileged routines and MMIO
 * forwarding (unmapped addresses fault). Time advances with hart 0's retired instructions, and jumps to the next
 * timer deadline (mtimecmp or stimecmp) while every hart waits for an interrupt, so single-hart runs are
 * deterministic.
 */
final class TestMachine implements ExitHandler, VmContext {
    static final long RAM_BASE = 0x8000_0000L;
    private static final MmioWindow UART = new MmioWindow(0x1000_0000L, 0x100);
    private static final MmioWindow FINISHER = new MmioWindow(0x10_0000L, 0x1000);
    private static final MmioWindow CLINT = new MmioWindow(0x200_0000L, 0x10000);
    private static final int UART_LINE_STATUS = 5;
    private static final long TRANSMITTER_EMPTY = 0x60;
    private static final long TIMEBASE_HZ = 10_000_000;
    private static final long INSTRUCTIONS_PER_TICK = 10;
    private static final long QUANTUM = 10_000;

    final TestMemory memory;
    final List<VCpu> vcpus = new ArrayList<>();
    final VCpu vcpu;
    final StringBuilder console = new StringBuilder();
    private final Map<ExitKind, ExitRoutine> routines = new EnumMap<>(ExitKind.class);
    private final Map<ExitKind, Integer> exitCounts = new EnumMap<>(ExitKind.class);
    private final TestClint clint;
    private final List<MmioBus.Mapping> devices;
    private volatile Integer finisherValue;

    TestMachine(long ramSize, long resetPc, PrivilegeMode privilege, boolean hypercalls) {
        this(1, ramSize, resetPc, privilege, hypercalls);
    }

    TestMachine(int hartCount, long ramSize, long resetPc, PrivilegeMode privilege, boolean hypercalls) {
        this(new Rv64VCpuFactory(), hartCount, ramSize, resetPc, privilege, hypercalls, List.of());
    }

    TestMachine(Rv64VCpuFactory factory, int hartCount, long ramSize, long resetPc, PrivilegeMode privilege,
                boolean hypercalls) {
        this(factory, hartCount, ramSize, resetPc, privilege, hypercalls, List.of());
    }

    /** A machine whose {@code ramOverlays} are devices placed over parts of RAM. */
    TestMachine(int hartCount, long ramSize, long resetPc, PrivilegeMode privilege, boolean hypercalls,
                List<MmioBus.Mapping> ramOverlays) {
        this(new Rv64VCpuFactory(), hartCount, ramSize, resetPc, privilege, hypercalls, ramOverlays);
    }

    private TestMachine(Rv64VCpuFactory factory, int hartCount, long ramSize, long resetPc, PrivilegeMode privilege,
                        boolean hypercalls, List<MmioBus.Mapping> ramOverlays) {
        this(factory, new TestMemory(RAM_BASE, ramSize), hartCount, resetPc, privilege, hypercalls, ramOverlays);
    }

    /** A one-hart machine on {@code memory}, which may be a slice of a host space other machines share. */
    TestMachine(Rv64VCpuFactory factory, TestMemory memory, long resetPc, PrivilegeMode privilege) {
        this(factory, memory, 1, resetPc, privilege, false, List.of());
    }

    private TestMachine(Rv64VCpuFactory factory, TestMemory memory, int hartCount, long resetPc,
                        PrivilegeMode privilege, boolean hypercalls, List<MmioBus.Mapping> ramOverlays) {
        this.memory = memory;
        List<MmioWindow> overlayWindows = ramOverlays.stream().map(MmioBus.Mapping::window).toList();
        for (int id = 0; id < hartCount; id++) {
            vcpus.add(factory.create(new HartConfig(id, resetPc, privilege, hypercalls, overlayWindows), memory,
                    this, () -> {
                    }));
        }
        vcpu = vcpus.getFirst();
        clint = new TestClint(hartCount);
        List<MmioBus.Mapping> mappings = new ArrayList<>(List.of(new MmioBus.Mapping(UART, new Uart()),
                new MmioBus.Mapping(FINISHER, new Finisher()), new MmioBus.Mapping(CLINT, clint)));
        mappings.addAll(ramOverlays);
        devices = List.copyOf(mappings);
        CsrAccessRoutine csr = new CsrAccessRoutine();
        routines.put(ExitKind.CSR_ACCESS, csr);
        routines.put(ExitKind.SATP_WRITE, csr);
        TrapReturnRoutine trapReturn = new TrapReturnRoutine();
        routines.put(ExitKind.MRET, trapReturn);
        routines.put(ExitKind.SRET, trapReturn);
        routines.put(ExitKind.WFI, new WaitForInterruptRoutine());
        routines.put(ExitKind.SFENCE_VMA, new FenceVmaRoutine());
        MmioForwarding mmio = new MmioForwarding();
        routines.put(ExitKind.MMIO_LOAD, mmio);
        routines.put(ExitKind.MMIO_STORE, mmio);
    }

    /** Boots a bare-metal guest ELF from guests/target/elf in M-mode at its entry point, on every hart. */
    static TestMachine boot(String guest) {
        return boot(guest, 1);
    }

    static TestMachine boot(String guest, int hartCount) {
        return boot(guest, hartCount, new Rv64VCpuFactory());
    }

    /** Boots {@code guest} on harts built by {@code factory} (for instance one with a small code budget). */
    static TestMachine boot(String guest, int hartCount, Rv64VCpuFactory factory) {
        Path elf = guestElf(guest);
        try {
            TestMachine machine = new TestMachine(factory, hartCount, 32 << 20, 0, PrivilegeMode.MACHINE, false);
            long entry = ElfFile.load(elf, machine.memory).entry();
            machine.vcpus.forEach(each -> each.hart().setPc(entry));
            return machine;
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

    /** Runs hart 0 until the guest writes the finisher; returns its exit code (0 = pass). */
    int runToFinisher(long instructionLimit) {
        long start = hart().instructionsRetired();
        while (finisherValue == null) {
            if (hart().instructionsRetired() - start > instructionLimit) {
                throw new AssertionError("guest did not finish within " + instructionLimit
                        + " instructions; pc=0x" + Long.toHexString(hart().pc()) + " console: " + console);
            }
            if (vcpu.run(QUANTUM) == RunOutcome.WAITING_FOR_INTERRUPT && finisherValue == null
                    && !vcpu.hasWakeupInterrupt()) {
                idleUntilTimer(0);
            }
            clint.update();
        }
        return finisherCode();
    }

    /** Runs every hart on a thread of its own until the guest writes the finisher (real concurrency). */
    int runAllToFinisher(long instructionLimit) throws InterruptedException {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (VCpu each : vcpus) {
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    while (finisherValue == null && failure.get() == null) {
                        if (each.hart().instructionsRetired() > instructionLimit) {
                            throw new AssertionError("hart " + each.hart().id() + " did not finish; console: "
                                    + consoleOutput());
                        }
                        if (each.run(QUANTUM) == RunOutcome.WAITING_FOR_INTERRUPT) {
                            // the host CPU goes to the hart this one waits for, as the VM's scheduler would
                            Thread.yield();
                        }
                        clint.update();
                    }
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        if (failure.get() != null) {
            throw new AssertionError("a hart failed", failure.get());
        }
        return finisherCode();
    }

    private int finisherCode() {
        int value = finisherValue;
        return switch (value & 0xFFFF) {
            case 0x5555 -> 0;
            case 0x3333 -> value >>> 16;
            default -> throw new AssertionError("unexpected finisher value 0x" + Integer.toHexString(value));
        };
    }

    /** The hart sleeps in WFI: time jumps to its timer deadline, or the guest hangs for good. */
    private void idleUntilTimer(int hartId) {
        if (!clint.skipToDeadline(hartId)) {
            throw new AssertionError("guest waits for an interrupt that never comes; console: " + consoleOutput());
        }
    }

    synchronized String consoleOutput() {
        return console.toString();
    }

    synchronized int exits(ExitKind kind) {
        return exitCounts.getOrDefault(kind, 0);
    }

    @Override
    public long handle(Exit exit, Hart hart) {
        synchronized (this) {
            exitCounts.merge(exit.kind(), 1, Integer::sum);
        }
        if (exit.kind() == ExitKind.HYPERCALL) {
            throw new AssertionError("unexpected hypercall at 0x" + Long.toHexString(exit.pc()));
        }
        return routines.get(exit.kind()).handle(exit, hart, this);
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
        return (address, size) -> devices.stream()
                .filter(mapping -> address >= mapping.window().base()
                        && address + size <= mapping.window().base() + mapping.window().size())
                .findFirst().orElse(null);
    }

    @Override
    public ConsoleChannel console() {
        throw new UnsupportedOperationException("the test machine captures the UART itself");
    }

    @Override
    public PowerControl power() {
        throw new UnsupportedOperationException("the test machine has no power control");
    }

    @Override
    public Timebase timebase() {
        return clint;
    }

    @Override
    public List<Hart> harts() {
        return vcpus.stream().map(VCpu::hart).toList();
    }

    @Override
    public HartControl hartControl() {
        throw new UnsupportedOperationException("the test machine's harts all start at reset");
    }

    @Override
    public void waitForResources(String reason) {
        throw new UnsupportedOperationException("the test machine's RAM is all backed");
    }

    @Override
    public void resourcesGranted() {
        throw new UnsupportedOperationException("the test machine's RAM is all backed");
    }

    private final class Uart implements MmioDevice {
        @Override
        public long read(long offset, int size) {
            return offset == UART_LINE_STATUS ? TRANSMITTER_EMPTY : 0;
        }

        @Override
        public void write(long offset, int size, long value) {
            if (offset == 0) {
                synchronized (TestMachine.this) {
                    console.append((char) value);
                }
            }
        }
    }

    private final class Finisher implements MmioDevice {
        @Override
        public long read(long offset, int size) {
            return 0;
        }

        @Override
        public void write(long offset, int size, long value) {
            if (offset == 0) {
                finisherValue = (int) value;
                vcpus.forEach(VCpu::kick);
            }
        }
    }

    /**
     * msip, mtimecmp and mtime as on the virt board, and the one-shot supervisor timers the hypervisor arms
     * (stimecmp); mtime follows hart 0's instructions plus skipped idle time.
     */
    private final class TestClint implements MmioDevice, Timebase {
        private static final long MTIMECMP = 0x4000;
        private static final long MTIME = 0xBFF8;
        private static final long NOT_ARMED = -1;
        private final long[] mtimecmp;
        private final long[] supervisorDeadline;
        private long idleTicks;

        TestClint(int hartCount) {
            mtimecmp = new long[hartCount];
            supervisorDeadline = new long[hartCount];
            java.util.Arrays.fill(mtimecmp, -1);
            java.util.Arrays.fill(supervisorDeadline, NOT_ARMED);
        }

        @Override
        public synchronized long ticks() {
            return vcpu.hart().instructionsRetired() / INSTRUCTIONS_PER_TICK + idleTicks;
        }

        @Override
        public long frequency() {
            return TIMEBASE_HZ;
        }

        /** As the VM's timers: pending at once for a deadline passed, else cleared now and set when it passes. */
        @Override
        public synchronized void arm(int hartId, Interrupt interrupt, long deadline) {
            if (interrupt != Interrupt.SUPERVISOR_TIMER) {
                throw new UnsupportedOperationException("the test machine arms supervisor timers only");
            }
            boolean passed = Long.compareUnsigned(deadline, ticks()) <= 0;
            vcpus.get(hartId).hart().setInterruptPending(interrupt, passed);
            supervisorDeadline[hartId] = passed ? NOT_ARMED : deadline;
        }

        synchronized boolean skipToDeadline(int hartId) {
            long deadline = Long.compareUnsigned(mtimecmp[hartId], supervisorDeadline[hartId]) <= 0
                    ? mtimecmp[hartId] : supervisorDeadline[hartId];
            if (deadline == NOT_ARMED) {
                return false;
            }
            idleTicks += Math.max(0, deadline - ticks());
            update();
            return true;
        }

        synchronized void update() {
            long now = ticks();
            for (int id = 0; id < mtimecmp.length; id++) {
                Hart hart = vcpus.get(id).hart();
                hart.setInterruptPending(Interrupt.MACHINE_TIMER, Long.compareUnsigned(now, mtimecmp[id]) >= 0);
                if (supervisorDeadline[id] != NOT_ARMED && Long.compareUnsigned(now, supervisorDeadline[id]) >= 0) {
                    supervisorDeadline[id] = NOT_ARMED;
                    hart.setInterruptPending(Interrupt.SUPERVISOR_TIMER, true);
                }
            }
        }

        @Override
        public synchronized long read(long offset, int size) {
            long value;
            if (offset < 4L * mtimecmp.length) {
                value = (vcpus.get((int) (offset / 4)).hart().readCsr(CsrAddress.MIP) >>> 3) & 1;
            } else if (offset >= MTIMECMP && offset < MTIMECMP + 8L * mtimecmp.length) {
                value = mtimecmp[(int) ((offset - MTIMECMP) / 8)] >>> (8 * (offset & 4));
            } else if (offset == MTIME || offset == MTIME + 4) {
                value = ticks() >>> (8 * (offset & 4));
            } else {
                value = 0;
            }
            return size == 8 ? value : value & 0xFFFF_FFFFL;
        }

        @Override
        public synchronized void write(long offset, int size, long value) {
            if (offset < 4L * mtimecmp.length) {
                vcpus.get((int) (offset / 4)).hart().setInterruptPending(Interrupt.MACHINE_SOFTWARE, (value & 1) != 0);
            } else if (offset >= MTIMECMP && offset < MTIMECMP + 8L * mtimecmp.length) {
                int id = (int) ((offset - MTIMECMP) / 8);
                if (size == 8) {
                    mtimecmp[id] = value;
                } else {
                    int shift = (int) (8 * (offset & 4));
                    mtimecmp[id] = mtimecmp[id] & ~(0xFFFF_FFFFL << shift) | (value & 0xFFFF_FFFFL) << shift;
                }
                update();
            }
        }
    }
}
