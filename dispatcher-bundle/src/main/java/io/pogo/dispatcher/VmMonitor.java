package io.pogo.dispatcher;

import io.pogo.api.allocator.AllocatorControl;
import io.pogo.api.allocator.BoardAllocator;
import io.pogo.api.allocator.DeviceSlot;
import io.pogo.api.allocator.HostCpuScheduler;
import io.pogo.api.allocator.LimitedResource;
import io.pogo.api.allocator.MemoryAllocator;
import io.pogo.api.cpu.CodeCacheStats;
import io.pogo.api.cpu.ExitKind;
import io.pogo.api.cpu.HartConfig;
import io.pogo.api.cpu.VCpuFactory;
import io.pogo.api.device.DeviceFactory;
import io.pogo.api.device.Placement;
import io.pogo.api.device.MmioWindow;
import io.pogo.api.memory.GuestMemory;
import io.pogo.api.vm.AttachedDevice;
import io.pogo.api.vm.DebugEvent;
import io.pogo.api.vm.DeviceRequest;
import io.pogo.api.vm.MigrationSummary;
import io.pogo.api.vm.SnapshotSummary;
import io.pogo.api.vm.VmConfig;
import io.pogo.api.vm.VmConsole;
import io.pogo.api.vm.VmDebug;
import io.pogo.api.vm.VmInfo;
import io.pogo.api.vm.VmManager;
import io.pogo.api.vm.VmState;
import io.pogo.dispatcher.boot.BoardDeviceTree;
import io.pogo.dispatcher.boot.BootPlan;
import io.pogo.dispatcher.migration.MigrationSource;
import io.pogo.dispatcher.migration.MigrationTarget;
import io.pogo.dispatcher.snapshot.SnapshotReader;
import io.pogo.dispatcher.snapshot.SnapshotWriter;
import io.pogo.dispatcher.snapshot.VmSnapshots;
import io.pogo.dispatcher.vm.HartTimers;
import io.pogo.dispatcher.vm.DeviceSite;
import io.pogo.dispatcher.vm.RoutingTable;
import io.pogo.dispatcher.vm.Vm;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * The monitor: assembles VMs from the bound services (CPU, allocator, devices), drives their lifecycle and routes
 * their exits to the routines the interpreter and allocator register ({@link RoutingTable}).
 */
@Component(service = VmManager.class, property = {
        "boardDevices.target=" + VmMonitor.BOARD_FILTER,
        "boardDevices.cardinality.minimum:Integer=" + VmMonitor.BOARD_SIZE})
public final class VmMonitor implements VmManager {

    /**
     * The board's device types as a service filter and their number: the monitor (and so every VM definition and
     * shell command) comes up only once every board device, and the empty virtio transport, can be built. Keep in
     * step with BOARD_DEVICES.
     */
    static final String BOARD_FILTER = "(|(device.type=plic)(device.type=clint)(device.type=sifive-test)"
            + "(device.type=goldfish-rtc)(device.type=ns16550a)(device.type=" + Placement.VirtioSlot.EMPTY + "))";
    static final int BOARD_SIZE = 6;

    static final long RAM_BASE = 0x8000_0000L;
    /** The device type that serves an ELF's tohost and fromhost words, as Spike and QEMU's spike machine do. */
    static final String HTIF = "htif";
    static final int MAX_HARTS = 32;
    /** Room for a small guest below the device tree's 2 MiB at the top of RAM. */
    static final long MIN_MEMORY = 4L << 20;
    private static final Pattern VM_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}");
    /** The devices every board has, in assembly order (the interrupt controller first), as on QEMU's virt machine. */
    static final List<DeviceRequest> BOARD_DEVICES = List.of(
            new DeviceRequest("plic", Map.of()),
            new DeviceRequest("clint", Map.of()),
            new DeviceRequest("sifive-test", Map.of()),
            new DeviceRequest("goldfish-rtc", Map.of()),
            new DeviceRequest("ns16550a", Map.of()));

    /** Gates activation on the board being complete (see BOARD_FILTER); the factories are used through bindDeviceFactory. */
    @Reference(name = "boardDevices", cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    private volatile List<DeviceFactory> boardDevices;

    private final Map<String, DeviceFactory> factories = new ConcurrentSkipListMap<>();
    private final Map<String, Vm> vms = new ConcurrentSkipListMap<>();
    private final Object creation = new Object();
    private final ScheduledThreadPoolExecutor clock = timerThread();

    @Reference
    private RoutingTable routes;
    @Reference
    private VCpuFactory cpus;
    @Reference
    private HostCpuScheduler scheduler;
    @Reference
    private MemoryAllocator memoryAllocator;
    @Reference
    private BoardAllocator boardAllocator;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile AllocatorControl allocatorControl;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindDeviceFactory(DeviceFactory factory, Map<String, Object> properties) {
        factories.put(String.valueOf(properties.get(DeviceFactory.TYPE)), factory);
    }

    void unbindDeviceFactory(DeviceFactory factory, Map<String, Object> properties) {
        factories.remove(String.valueOf(properties.get(DeviceFactory.TYPE)), factory);
    }

    @Deactivate
    void deactivate() {
        clock.shutdownNow();
        vms.values().forEach(vm -> {
            try {
                vm.stop();
            } catch (IllegalStateException alreadyStopped) {
                // nothing left to release
            }
        });
    }

    @Override
    public VmInfo create(VmConfig config) {
        synchronized (creation) {
            validate(config);
            Vm vm = assemble(config, true);
            try {
                vm.acquireHostResources();
            } catch (RuntimeException e) {
                vm.discard();
                throw e;
            }
            vms.put(config.name(), vm);
            return vm.info();
        }
    }

    /**
     * Builds the VM's board, harts and device tree; {@code load} puts the boot images and the device tree into its
     * RAM, which a restore leaves to the snapshot. Its devices hold no host resources yet: the caller acquires them
     * before the VM runs, a migration's target only once the source gave them up. A VM that cannot be built is
     * discarded.
     */
    private Vm assemble(VmConfig config, boolean load) {
        BootPlan boot = BootPlan.prepare(config, RAM_BASE);
        List<DeviceRequest> requests = Stream.concat(BOARD_DEVICES.stream(), config.devices().stream()).toList();
        List<DeviceFactory> chosen = requests.stream().map(request -> factory(request.type())).toList();
        DeviceFactory htif = boot.hostInterface().isPresent() ? factory(HTIF) : null;
        applyLimits(config);
        Vm vm = allocate(config);
        try {
            if (load) {
                boot.loadInto(vm.memory());
            }
            for (int i = 0; i < requests.size(); i++) {
                attach(vm, requests.get(i), chosen.get(i), config.virtioLegacy());
            }
            fillFreeVirtioSlots(vm, config.virtioLegacy());
            boot.hostInterface().ifPresent(words -> attachAt(vm, HTIF, htif, words.window(), words.options()));
            List<MmioWindow> ramOverlays = vm.attachedDevices().stream().map(AttachedDevice::window)
                    .filter(window -> Long.compareUnsigned(window.base() - RAM_BASE, config.memoryBytes()) < 0)
                    .toList();
            for (int hart = 0; hart < config.harts(); hart++) {
                HartConfig hartConfig = new HartConfig(hart, boot.entry(), boot.privilege(), boot.hypercalls(),
                        ramOverlays);
                boolean stopped = hart > 0 && boot.secondaryHartsStopped();
                vm.addHart(stopped, runner -> cpus.create(hartConfig, vm.memory(), runner, runner::wake));
            }
            vm.harts().forEach(boot::prepare);
            byte[] deviceTree = boot.deviceTree() != null ? boot.deviceTree() : describe(vm, config, boot);
            vm.setDeviceTree(deviceTree);
            if (load) {
                vm.memory().write(boot.deviceTreeAddress(), deviceTree, 0, deviceTree.length);
            }
        } catch (RuntimeException e) {
            vm.discard();
            throw e;
        }
        return vm;
    }

    /**
     * Every kind of I/O starts with the limit the configuration names, or none: a VM never inherits the limits of an
     * earlier VM of the same name. A limit the allocator cannot read stops the creation before anything exists.
     */
    private void applyLimits(VmConfig config) {
        AllocatorControl control = allocatorControl;
        if (control == null) {
            if (!config.limits().isEmpty()) {
                throw new IllegalStateException("--limit needs the allocator, which is not running");
            }
            return;
        }
        for (LimitedResource resource : LimitedResource.values()) {
            String words = config.limits().getOrDefault(resource, "off");
            try {
                control.limit(config.name(), resource, words);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--limit " + resource.word() + ":" + words + ": " + e.getMessage());
            }
        }
    }

    private Vm allocate(VmConfig config) {
        GuestMemory memory = memoryAllocator.allocate(config.name(), RAM_BASE, config.memoryBytes());
        return new Vm(config, memory, routes, () -> memoryAllocator.residentBytes(memory), () -> {
            boardAllocator.releaseAll(config.name());
            memoryAllocator.release(memory);
        }, clock);
    }

    private byte[] describe(Vm vm, VmConfig config, BootPlan boot) {
        BoardDeviceTree tree = new BoardDeviceTree(config.harts());
        vm.devices().forEach(device -> device.describe(tree));
        return tree.toBlob(new BoardDeviceTree.Board(RAM_BASE, config.memoryBytes(), cpus.isa(),
                HartTimers.FREQUENCY), config.append(), boot.initrd());
    }

    private void attach(Vm vm, DeviceRequest request, DeviceFactory factory, boolean virtioLegacy) {
        DeviceSlot slot = boardAllocator.assign(vm.name(), factory.placement());
        var device = factory.create(DeviceSite.of(vm, slot.window(), slot.irq(),
                options(request, factory, virtioLegacy)));
        vm.attach(request.type(), device, slot.window(), slot.irq());
    }

    /** QEMU's virt board has all eight virtio-mmio transports: the slots no device took get an empty one. */
    private void fillFreeVirtioSlots(Vm vm, boolean virtioLegacy) {
        DeviceRequest empty = new DeviceRequest(Placement.VirtioSlot.EMPTY, Map.of());
        DeviceFactory factory = factory(empty.type());
        for (int free = boardAllocator.freeVirtioSlots(vm.name()); free > 0; free--) {
            attach(vm, empty, factory, virtioLegacy);
        }
    }

    /** The request's options, with {@code legacy=on} for a virtio device under --virtio-legacy unless it says. */
    static Map<String, String> options(DeviceRequest request, DeviceFactory factory, boolean virtioLegacy) {
        if (!virtioLegacy || !(factory.placement() instanceof Placement.VirtioSlot)
                || request.options().containsKey(Placement.VirtioSlot.LEGACY)) {
            return request.options();
        }
        Map<String, String> options = new LinkedHashMap<>(request.options());
        options.put(Placement.VirtioSlot.LEGACY, "on");
        return options;
    }

    /** A device placed by the boot image rather than the board: HTIF over the words the ELF names, inside RAM. */
    private static void attachAt(Vm vm, String type, DeviceFactory factory, MmioWindow window,
                                 Map<String, String> options) {
        vm.attach(type, factory.create(DeviceSite.of(vm, window, 0, options)), window, 0);
    }

    private void validate(VmConfig config) {
        if (config.name() == null || !VM_NAME.matcher(config.name()).matches()) {
            throw new IllegalArgumentException("invalid VM name '" + config.name()
                    + "': use letters, digits, '.', '_' or '-' (at most 63)");
        }
        if (vms.containsKey(config.name())) {
            throw new IllegalArgumentException("a VM named " + config.name() + " already exists");
        }
        if (config.harts() < 1 || config.harts() > MAX_HARTS) {
            throw new IllegalArgumentException("--smp " + config.harts() + ": between 1 and " + MAX_HARTS);
        }
        if (config.memoryBytes() < MIN_MEMORY || config.memoryBytes() % 4096 != 0) {
            throw new IllegalArgumentException("--mem: at least 4M and a multiple of 4K");
        }
        if (config.kernel() == null) {
            throw new IllegalArgumentException("--kernel FILE is required");
        }
    }

    private DeviceFactory factory(String type) {
        DeviceFactory factory = factories.get(type);
        if (factory == null) {
            throw new IllegalArgumentException("no device of type '" + type + "' is available (available: "
                    + String.join(", ", factories.keySet()) + ")");
        }
        return factory;
    }

    private static ScheduledThreadPoolExecutor timerThread() {
        ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(1,
                Thread.ofPlatform().daemon().name("pogo-timers").factory());
        timers.setRemoveOnCancelPolicy(true);
        return timers;
    }

    private Vm vm(String name) {
        Vm vm = vms.get(name);
        if (vm == null) {
            throw new IllegalStateException("no VM named " + name);
        }
        return vm;
    }

    @Override
    public void start(String name) {
        try {
            vm(name).start(scheduler);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void pause(String name) {
        vm(name).pause();
    }

    @Override
    public void resume(String name) {
        vm(name).resume();
    }

    @Override
    public void stop(String name) {
        vm(name).stop();
    }

    @Override
    public void destroy(String name) {
        Vm vm = vm(name);
        if (!vm.isStopping()) {
            vm.stop();
        }
        vms.remove(name, vm);
    }

    @Override
    public byte[] deviceTree(String name) {
        return vm(name).deviceTree();
    }

    @Override
    public List<VmInfo> list() {
        return vms.values().stream().map(Vm::info).toList();
    }

    @Override
    public Optional<VmInfo> info(String name) {
        return Optional.ofNullable(vms.get(name)).map(Vm::info);
    }

    @Override
    public Optional<VmState> state(String name) {
        return Optional.ofNullable(vms.get(name)).map(Vm::state);
    }

    @Override
    public VmConsole console(String name) {
        return vm(name).consoleBuffer();
    }

    @Override
    public Map<ExitKind, Long> exitCounts(String name) {
        return new TreeMap<>(vm(name).exitCounts());
    }

    @Override
    public Map<ExitKind, Map<String, Long>> exitsByHandler(String name) {
        return vm(name).exitsByHandler();
    }

    @Override
    public CodeCacheStats codeCache(String name) {
        return vm(name).codeCache();
    }

    @Override
    public VmDebug debug(String name, Consumer<DebugEvent> listener) {
        return vm(name).attachDebugger(listener);
    }

    @Override
    public SnapshotSummary snapshot(String name, Path file, boolean stopAfter) {
        Vm vm = vm(name);
        VmSnapshots.requireStateful(vm);
        long begin = System.nanoTime();
        if (stopAfter && vm.state() == VmState.RUNNING) {
            // paused before and never resumed: the guest runs no further than what the file holds
            vm.pause();
        }
        SnapshotWriter.Written written = vm.frozen("snapshot",
                () -> VmSnapshots.write(vm, file, memoryAllocator.backedPages(vm.memory())));
        Duration took = Duration.ofNanos(System.nanoTime() - begin);
        if (stopAfter) {
            vm.stop();
        }
        return new SnapshotSummary(name, file, written.fileBytes(), written.ramBytes(), took);
    }

    @Override
    public SnapshotSummary restore(Path file, String newName) {
        long begin = System.nanoTime();
        Vm vm;
        long ramBytes;
        try (SnapshotReader reader = SnapshotReader.open(file)) {
            VmConfig config = VmSnapshots.renamed(reader.image().config(), newName);
            synchronized (creation) {
                validate(config);
                try {
                    vm = assemble(config, false);
                } catch (IllegalArgumentException | IllegalStateException e) {
                    throw VmSnapshots.cannotRestore(file, e);
                }
                try {
                    ramBytes = VmSnapshots.restore(vm, reader);
                    vm.acquireHostResources();
                } catch (RuntimeException e) {
                    vm.discard();
                    throw VmSnapshots.cannotRestore(file, e);
                }
                vms.put(config.name(), vm);
            }
        }
        Duration took = Duration.ofNanos(System.nanoTime() - begin);
        start(vm.name());
        return new SnapshotSummary(vm.name(), file, file.toFile().length(), ramBytes, took);
    }

    @Override
    public MigrationSummary migrate(String name, String host, int port, Consumer<String> progress) {
        Vm vm = vm(name);
        if (port < 1 || port > 0xFFFF) {
            throw new IllegalArgumentException("port " + port + " is out of range (1-65535)");
        }
        MigrationSummary summary = new MigrationSource(vm, new InetSocketAddress(host, port), progress).migrate();
        vms.remove(name, vm);
        return summary;
    }

    @Override
    public MigrationSummary receive(String host, int port, Consumer<String> progress) {
        return new MigrationTarget(new MigrationTarget.Landing() {
            @Override
            public Vm build(VmConfig config) {
                synchronized (creation) {
                    validate(config);
                    Vm vm = assemble(config, false);
                    vms.put(config.name(), vm);
                    return vm;
                }
            }

            @Override
            public void start(Vm vm) {
                vm.acquireHostResources();
                vm.launch(scheduler);
            }

            @Override
            public void discard(Vm vm) {
                vms.remove(vm.name(), vm);
                vm.discard();
            }
        }, progress).receive(host, port);
    }

    @Override
    public Optional<VmInfo> awaitTermination(String name, Duration timeout) throws InterruptedException {
        return vm(name).awaitTermination(timeout);
    }
}
