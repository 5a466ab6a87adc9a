package io.pogo.dispatcher.vm;

import io.pogo.api.allocator.HostCpuScheduler;
import io.pogo.api.cpu.CodeCacheStats;
import io.pogo.api.cpu.ExitKind;
import io.pogo.api.cpu.Hart;
import io.pogo.api.cpu.Interrupt;
import io.pogo.api.cpu.VCpu;
import io.pogo.api.device.ConsoleChannel;
import io.pogo.api.device.Device;
import io.pogo.api.device.HartInterrupts;
import io.pogo.api.device.InterruptController;
import io.pogo.api.device.MmioWindow;
import io.pogo.api.device.PowerControl;
import io.pogo.api.dispatch.HartControl;
import io.pogo.api.dispatch.HartStatus;
import io.pogo.api.dispatch.VmContext;
import io.pogo.api.memory.GuestMemory;
import io.pogo.api.state.HostResources;
import io.pogo.api.state.Stateful;
import io.pogo.api.vm.AttachedDevice;
import io.pogo.api.vm.DebugEvent;
import io.pogo.api.vm.VmDebug;
import io.pogo.api.vm.VmConfig;
import io.pogo.api.vm.VmInfo;
import io.pogo.api.vm.VmState;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.time.Duration;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * One virtual machine: its RAM, devices and vCPUs, and the lifecycle CREATED → RUNNING ⇄ PAUSED → STOPPED, or
 * FAILED when a vCPU or device hits an internal error. Other VMs are never affected by what happens here.
 */
public final class Vm implements VmContext, PowerControl, HartInterrupts, HartControl {

    private static final Duration START_WAIT = Duration.ofSeconds(5);

    private final VmConfig config;
    private final GuestMemory memory;
    private final RoutingTable routes;
    private final LongSupplier residentBytes;
    private final Runnable releaseResources;
    private final ConsoleBuffer console = new ConsoleBuffer();
    private final DeviceBus bus = new DeviceBus();
    private final List<Device> devices = new ArrayList<>();
    private final List<AttachedDevice> attached = new ArrayList<>();
    private final List<VcpuRunner> runners = new ArrayList<>();
    /** The runners' harts, made once as harts are added: SBI IPIs and remote fences ask for them at every call. */
    private volatile List<Hart> harts = List.of();
    private final CountDownLatch terminated = new CountDownLatch(1);
    private final HartTimers timers;
    private final DebugHold debugHold;
    private byte[] deviceTree = new byte[0];
    private volatile InterruptController interruptController;
    private final Object transitions = new Object();

    private VmState state = VmState.CREATED;
    private String failure = "";
    /** Why the VM is paused for resources; empty when it is not. */
    private String waitingFor = "";
    private int exitStatus = -1;
    private volatile boolean paused;
    private volatile boolean stopping;
    /** The devices gave their host resources up (a migration's source, at GO): resuming takes them back first. */
    private boolean resourcesReleased;

    /**
     * @param routes           where the VM's exits go
     * @param releaseResources returns RAM and board slots to the allocator once every vCPU has left
     * @param clock            the host timer thread that fires the VM's timer interrupts
     */
    public Vm(VmConfig config, GuestMemory memory, RoutingTable routes, LongSupplier residentBytes,
              Runnable releaseResources, ScheduledExecutorService clock) {
        this.timers = new HartTimers(this, clock, this::fail);
        this.debugHold = new DebugHold(this, runners, timers);
        this.config = config;
        this.memory = memory;
        this.routes = routes;
        this.residentBytes = residentBytes;
        this.releaseResources = releaseResources;
    }

    /** Adds a device while the VM is being assembled; the interrupt controller among them gets every line. */
    public void attach(String type, Device device, MmioWindow window, int irq) {
        if (device instanceof InterruptController controller) {
            interruptController = controller;
        }
        devices.add(device);
        attached.add(new AttachedDevice(type, window, irq));
        bus.map(window, device);
    }

    /**
     * Adds a hart while the VM is being assembled; a stopped hart waits for SBI HSM to start it.
     *
     * @param cpuBuilder builds the vCPU, given the runner that is its exit handler and wakes it from WFI
     */
    public void addHart(boolean stopped, Function<VcpuRunner, VCpu> cpuBuilder) {
        VcpuRunner runner = new VcpuRunner(this, routes, stopped ? HartStatus.STOPPED : HartStatus.STARTED);
        runner.attach(cpuBuilder.apply(runner));
        runners.add(runner);
        harts = runners.stream().map(added -> added.vcpu().hart()).toList();
    }

    /** Releases what an assembly that went wrong had already taken; the VM never ran. */
    public void discard() {
        tearDown(VmState.STOPPED);
    }

    /**
     * Starts the vCPUs and returns once each has run its first quantum (or after a few seconds on a host that is
     * very busy), so that what comes next sees a guest that is under way, or already ended.
     */
    public void start(HostCpuScheduler scheduler) throws InterruptedException {
        launch(scheduler);
        long deadline = System.nanoTime() + START_WAIT.toNanos();
        for (VcpuRunner runner : runners) {
            if (!runner.awaitFirstQuantum(deadline)) {
                return;
            }
        }
    }

    /**
     * Hands the vCPUs to the scheduler and returns at once: a migrated VM's harts may all be waiting for a timer
     * that is seconds away, and its downtime must not include waiting for their first quantum.
     */
    public void launch(HostCpuScheduler scheduler) {
        synchronized (transitions) {
            enter("start", VmState.CREATED, VmState.RUNNING);
            for (VcpuRunner runner : runners) {
                runner.scheduledAs(scheduler.admit(config.name(), runner.vcpu().hart().id(), runner));
            }
        }
    }

    /** Returns once every vCPU is parked at an instruction boundary. */
    public void pause() {
        synchronized (transitions) {
            synchronized (this) {
                requireState("pause", VmState.RUNNING);
                paused = true;
            }
            runners.forEach(runner -> runner.vcpu().kick());
            while (runners.stream().anyMatch(VcpuRunner::inQuantum) && !stopping) {
                Thread.onSpinWait();
            }
            synchronized (this) {
                if (!stopping) {
                    state = VmState.PAUSED;
                }
            }
        }
    }

    /**
     * Lets a paused VM run on; when its devices gave their host resources up, it takes them back first.
     *
     * @throws IllegalArgumentException with one sentence when another VM or process holds one of them now; the VM
     *                                  stays paused
     */
    public void resume() {
        synchronized (transitions) {
            synchronized (this) {
                requireState("resume", VmState.PAUSED);
            }
            if (resourcesReleased) {
                acquireHostResources();
            }
            synchronized (this) {
                enter("resume", VmState.PAUSED, VmState.RUNNING);
                waitingFor = "";
                paused = false;
            }
            runners.forEach(VcpuRunner::wake);
        }
    }

    /**
     * Runs {@code work} with the VM standing still: every vCPU parked (a running VM is paused, and resumed after),
     * the timebase stopped so that no timer fires, and every device's background work held
     * ({@link Stateful#quiesce}). What {@code work} reads of the VM is then one consistent state.
     *
     * @param action what the work is, for the message when the VM is not running or paused
     */
    public <T> T frozen(String action, Supplier<T> work) {
        synchronized (transitions) {
            boolean running;
            synchronized (this) {
                if (stopping || state != VmState.RUNNING && state != VmState.PAUSED) {
                    throw new IllegalStateException("cannot " + action + " VM " + config.name() + ": it is "
                            + (stopping ? "stopping" : state.name().toLowerCase()));
                }
                running = state == VmState.RUNNING;
            }
            if (running) {
                pause();
            }
            timers.pause();
            List<Stateful> held = new ArrayList<>();
            try {
                for (Device device : devices) {
                    if (device instanceof Stateful stateful) {
                        stateful.quiesce();
                        held.add(stateful);
                    }
                }
                return work.get();
            } finally {
                held.forEach(Stateful::unquiesce);
                timers.resume();
                if (running && !stopping) {
                    resume();
                }
            }
        }
    }

    /**
     * Takes what the devices hold of the host exclusively ({@link HostResources}), before the VM first runs or runs
     * again after {@link #releaseHostResources}. When one cannot, those taken are given up again.
     *
     * @throws IllegalArgumentException with the device's sentence when another VM or process holds its resource
     */
    public void acquireHostResources() {
        synchronized (transitions) {
            everyHostResource(HostResources::acquire, HostResources::release);
            resourcesReleased = false;
        }
    }

    /**
     * Gives up what the devices hold of the host exclusively, so another process may take it over; the VM stays
     * paused until {@link #resume}, which takes it back. Call it within {@link #frozen} on a paused VM.
     *
     * @throws IllegalStateException with one sentence when a device cannot write out what is pending; the VM then
     *                               holds everything still
     */
    public void releaseHostResources() {
        synchronized (transitions) {
            synchronized (this) {
                requireState("release the host resources of", VmState.PAUSED);
            }
            everyHostResource(HostResources::release, HostResources::acquire);
            resourcesReleased = true;
        }
    }

    /** Does {@code step} to every device's host resources; when one fails, {@code undo} to those already done. */
    private void everyHostResource(Consumer<HostResources> step, Consumer<HostResources> undo) {
        List<HostResources> done = new ArrayList<>();
        try {
            for (Device device : devices) {
                if (device instanceof HostResources resources) {
                    step.accept(resources);
                    done.add(resources);
                }
            }
        } catch (RuntimeException e) {
            done.forEach(undo);
            throw e;
        }
    }

    /** What a snapshot keeps of each hart beyond its vCPU state: whether SBI HSM has it started or stopped. */
    public List<HartStatus> hartStatuses() {
        return runners.stream().map(VcpuRunner::status).toList();
    }

    /** The vCPUs, by hart ID. */
    public List<VCpu> vcpus() {
        return runners.stream().map(VcpuRunner::vcpu).toList();
    }

    /** Before a restored VM starts: each hart as HSM left it in the snapshot. */
    public void restoreHartStatuses(List<HartStatus> statuses) {
        for (int hart = 0; hart < runners.size(); hart++) {
            runners.get(hart).restoreStatus(statuses.get(hart));
        }
    }

    /** Call it only within {@link #frozen}. */
    public TimebaseState saveTimebase() {
        return timers.save();
    }

    /** Before a restored VM starts, once its harts and devices are restored. */
    public void restoreTimebase(TimebaseState state) {
        timers.restore(state);
    }

    /**
     * Pauses without waiting for the harts to park, so that an exit routine on one of them can call it; they
     * park at their next instruction boundary. A VM that is not running (already paused, stopping) stays as it is.
     */
    @Override
    public void waitForResources(String reason) {
        synchronized (this) {
            if (state != VmState.RUNNING || stopping) {
                return;
            }
            waitingFor = reason;
            paused = true;
            state = VmState.PAUSED;
        }
        runners.forEach(runner -> runner.vcpu().kick());
    }

    @Override
    public void resourcesGranted() {
        synchronized (this) {
            if (waitingFor.isEmpty() || state != VmState.PAUSED || stopping) {
                return;
            }
            waitingFor = "";
            paused = false;
            state = VmState.RUNNING;
        }
        runners.forEach(VcpuRunner::wake);
    }

    /** Stops the VM at the user's request and waits until its resources are released. */
    public void stop() {
        synchronized (transitions) {
            boolean first;
            synchronized (this) {
                if (state == VmState.STOPPED || state == VmState.FAILED) {
                    throw new IllegalStateException("VM " + config.name() + " is already "
                            + state.name().toLowerCase());
                }
                first = !stopping;
                stopping = true;
            }
            if (first) {
                tearDown(VmState.STOPPED);
            }
        }
        boolean interrupted = false;
        while (true) {
            try {
                terminated.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Guest power-off (test finisher, SBI shutdown); runs on a vCPU thread, so the teardown goes elsewhere. */
    @Override
    public void powerOff(int status) {
        synchronized (this) {
            if (stopping) {
                return;
            }
            stopping = true;
            exitStatus = status;
        }
        Thread.ofVirtual().name("pogo-poweroff-" + config.name()).start(() -> tearDown(VmState.STOPPED));
    }

    @Override
    public void reset() {
        fail("the guest asked for a reset; rebooting a VM is not supported yet");
    }

    /**
     * Something broke in the host while working for this VM, at {@code where}: the VM fails with the reason, others
     * run on. The reason says what ran out or broke, in words, with the error's own message.
     */
    public void fail(String where, Throwable cause) {
        String detail = cause.getMessage() == null ? "" : " (" + cause.getMessage() + ")";
        String reason = switch (cause) {
            case OutOfMemoryError exhausted -> "the host ran out of memory" + detail;
            case StackOverflowError deep -> "the host ran out of stack";
            case LinkageError missing -> "a host bundle misses a class" + detail;
            case Error broken -> "the host failed" + detail;
            default -> "an internal error in the host" + detail;
        };
        fail(where + ": " + reason);
    }

    /** An internal error in a vCPU or device: this VM moves to FAILED with the reason, others run on. */
    public void fail(String reason) {
        synchronized (this) {
            if (stopping) {
                return;
            }
            stopping = true;
            failure = reason;
        }
        Thread.ofVirtual().name("pogo-failed-" + config.name()).start(() -> tearDown(VmState.FAILED));
    }

    private void tearDown(VmState finalState) {
        timers.cancelAll();
        runners.forEach(runner -> runner.vcpu().kick());
        for (VcpuRunner runner : runners) {
            if (runner.scheduled() != null) {
                runner.scheduled().withdraw();
            }
        }
        runners.forEach(runner -> runner.vcpu().release());
        RuntimeException closeFailure = null;
        for (Device device : devices) {
            try {
                device.close();
            } catch (RuntimeException e) {
                closeFailure = e;
            }
        }
        releaseResources.run();
        synchronized (this) {
            state = closeFailure == null ? finalState : VmState.FAILED;
            if (closeFailure != null && failure.isEmpty()) {
                failure = "closing a device: " + closeFailure;
            }
            // the debugger hears of the end before anyone can see the VM over
            debugHold.ended(info());
            notifyAll();
        }
        console.close();
        terminated.countDown();
    }

    /** Attaches a debugger to a VM that is not over; see {@link VmDebug}. */
    public VmDebug attachDebugger(Consumer<DebugEvent> listener) {
        synchronized (this) {
            if (stopping || state == VmState.STOPPED || state == VmState.FAILED) {
                throw new IllegalStateException("VM " + config.name() + " is " + (state == VmState.FAILED
                        ? "failed" : "stopped") + "; there is nothing to debug");
            }
        }
        return debugHold.attach(listener);
    }

    DebugHold debugHold() {
        return debugHold;
    }

    public Optional<VmInfo> awaitTermination(Duration timeout) throws InterruptedException {
        return terminated.await(timeout.toNanos(), TimeUnit.NANOSECONDS) ? Optional.of(info()) : Optional.empty();
    }

    public boolean isPaused() {
        return paused;
    }

    public boolean isStopping() {
        return stopping;
    }

    public synchronized VmState state() {
        return state;
    }

    public synchronized VmInfo info() {
        boolean released = state == VmState.STOPPED || state == VmState.FAILED;
        long retired = runners.stream().mapToLong(runner -> runner.vcpu().hart().instructionsRetired()).sum();
        return new VmInfo(config.name(), state, config.harts(), config.memoryBytes(),
                released ? 0 : residentBytes.getAsLong(), retired, failure, exitStatus, List.copyOf(attached),
                state == VmState.PAUSED ? waitingFor : "");
    }

    /** The code cache all the VM's vCPUs share. */
    public CodeCacheStats codeCache() {
        return runners.getFirst().vcpu().codeCache();
    }

    public Map<ExitKind, Long> exitCounts() {
        Map<ExitKind, Long> counts = new EnumMap<>(ExitKind.class);
        for (ExitKind kind : ExitKind.values()) {
            counts.put(kind, runners.stream().mapToLong(runner -> runner.exitCount(kind)).sum());
        }
        return counts;
    }

    /** Exits handled so far per kind, per the bundle whose routine handled them; kinds none handled are left out. */
    public Map<ExitKind, Map<String, Long>> exitsByHandler() {
        Map<ExitKind, Map<String, Long>> handled = new EnumMap<>(ExitKind.class);
        for (ExitKind kind : ExitKind.values()) {
            for (int handler = 0; handler < RoutingTable.MAX_HANDLERS; handler++) {
                int index = handler;
                long count = runners.stream().mapToLong(runner -> runner.handledCount(kind, index)).sum();
                if (count > 0) {
                    handled.computeIfAbsent(kind, k -> new TreeMap<>()).merge(routes.handler(handler), count,
                            Long::sum);
                }
            }
        }
        return handled;
    }

    public ConsoleBuffer consoleBuffer() {
        return console;
    }

    private synchronized void enter(String action, VmState required, VmState next) {
        requireState(action, required);
        state = next;
    }

    private void requireState(String action, VmState required) {
        if (state != required) {
            throw new IllegalStateException("cannot " + action + " VM " + config.name() + ": it is "
                    + state.name().toLowerCase());
        }
    }

    /** What the VM was built from. */
    public VmConfig config() {
        return config;
    }

    @Override
    public String name() {
        return config.name();
    }

    @Override
    public GuestMemory memory() {
        return memory;
    }

    @Override
    public DeviceBus bus() {
        return bus;
    }

    @Override
    public ConsoleChannel console() {
        return console;
    }

    @Override
    public PowerControl power() {
        return this;
    }

    @Override
    public HartTimers timebase() {
        return timers;
    }

    @Override
    public HartControl hartControl() {
        return this;
    }

    @Override
    public HartStatus status(int hartId) {
        return runners.get(hartId).status();
    }

    @Override
    public boolean start(int hartId, long startAddress, long opaque) {
        return runners.get(hartId).startAt(startAddress, opaque);
    }

    @Override
    public void stopCurrent(int hartId) {
        runners.get(hartId).stopAfterThisExit();
    }

    @Override
    public List<Hart> harts() {
        return harts;
    }

    /** A device's interrupt line changed level; without an interrupt controller on the board it goes nowhere. */
    void interruptSource(int source, boolean asserted) {
        InterruptController controller = interruptController;
        if (controller != null && source != 0) {
            controller.setSourceLevel(source, asserted);
        }
    }

    /** The flattened device tree describing this VM, as the board assembled it. */
    public byte[] deviceTree() {
        return deviceTree.clone();
    }

    public void setDeviceTree(byte[] blob) {
        deviceTree = blob.clone();
    }

    /** Where the devices attached so far sit, in board order. */
    public List<AttachedDevice> attachedDevices() {
        return List.copyOf(attached);
    }

    /** The devices attached so far, in board order. */
    public List<Device> devices() {
        return List.copyOf(devices);
    }

    @Override
    public int hartCount() {
        return runners.size();
    }

    @Override
    public void setPending(int hartId, Interrupt interrupt, boolean pending) {
        VCpu vcpu = runners.get(hartId).vcpu();
        vcpu.hart().setInterruptPending(interrupt, pending);
    }
}
