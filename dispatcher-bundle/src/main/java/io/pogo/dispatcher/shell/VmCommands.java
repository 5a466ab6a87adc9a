package io.pogo.dispatcher.shell;

import io.pogo.api.allocator.MemoryAllocator;
import io.pogo.api.cpu.CodeCacheStats;
import io.pogo.api.vm.AttachedDevice;
import io.pogo.api.vm.DebugServer;
import io.pogo.api.vm.MigrationSummary;
import io.pogo.api.vm.SnapshotSummary;
import io.pogo.api.vm.VmConfig;
import io.pogo.api.vm.VmConsole;
import io.pogo.api.vm.VmInfo;
import io.pogo.api.vm.VmManager;
import io.pogo.api.vm.VmState;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/** The {@code vm:} commands of the Gogo shell. */
@Component(service = VmCommands.class, property = {
        "osgi.command.scope=vm",
        "osgi.command.function=create", "osgi.command.function=start", "osgi.command.function=stop",
        "osgi.command.function=pause", "osgi.command.function=resume", "osgi.command.function=destroy",
        "osgi.command.function=list", "osgi.command.function=info", "osgi.command.function=console",
        "osgi.command.function=run", "osgi.command.function=dtb", "osgi.command.function=snapshot",
        "osgi.command.function=restore"})
public final class VmCommands {

    /** The exit status of a run the user ended with Ctrl-], as for a shell command ended by SIGINT. */
    static final int INTERRUPTED = 130;

    private final AtomicInteger runs = new AtomicInteger();

    @Reference
    private VmManager vms;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile DebugServer debugServer;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile MemoryAllocator memoryAllocator;

    @Descriptor("create a VM (options as for pogo run: " + VmOptions.USAGE + ")")
    public String create(CommandSession session, @Descriptor("VM name") String name,
                         @Descriptor("options") String... options) {
        VmConfig config = VmOptions.parse(session.currentDir(), name, options);
        if (!config.name().equals(name)) {
            throw new IllegalArgumentException("--name is not allowed with vm:create; the name comes first");
        }
        VmInfo info = vms.create(config);
        return "created " + info.name() + " (" + info.harts() + " hart(s), " + Sizes.human(info.memoryBytes()) + ")";
    }

    @Descriptor("start a created VM")
    public String start(@Descriptor("VM name") String name) {
        vms.start(name);
        return "started " + name;
    }

    @Descriptor("stop a VM and release its resources")
    public String stop(@Descriptor("VM name") String name) {
        vms.stop(name);
        return "stopped " + name;
    }

    @Descriptor("pause every vCPU of a running VM")
    public String pause(@Descriptor("VM name") String name) {
        vms.pause(name);
        return "paused " + name;
    }

    @Descriptor("resume a paused VM")
    public String resume(@Descriptor("VM name") String name) {
        vms.resume(name);
        return "resumed " + name;
    }

    @Descriptor("stop a VM if needed and forget it")
    public String destroy(@Descriptor("VM name") String name) {
        vms.destroy(name);
        return "destroyed " + name;
    }

    @Descriptor("list VMs: name, state, vCPUs, memory, instructions retired")
    public String list() {
        Table table = new Table("NAME", "STATE", "VCPUS", "MEMORY", "RESIDENT", "INSTRUCTIONS");
        for (VmInfo vm : vms.list()) {
            table.row(vm.name(), describe(vm), vm.harts(), Sizes.human(vm.memoryBytes()),
                    Sizes.human(vm.residentBytes()), vm.instructionsRetired());
        }
        return table.toString();
    }

    @Descriptor("show one VM: state, resources, devices")
    public String info(@Descriptor("VM name") String name) {
        VmInfo vm = vms.info(name).orElseThrow(() -> new IllegalStateException("no VM named " + name));
        StringBuilder out = new StringBuilder()
                .append("name:         ").append(vm.name()).append('\n')
                .append("state:        ").append(describe(vm)).append('\n')
                .append("vcpus:        ").append(vm.harts()).append('\n')
                .append("memory:       ").append(Sizes.human(vm.memoryBytes())).append(" configured, ")
                .append(Sizes.human(vm.residentBytes())).append(" backed (resident)").append(balloon(name))
                .append('\n')
                .append("instructions: ").append(vm.instructionsRetired()).append('\n')
                .append("code cache:   ").append(describe(vms.codeCache(name))).append('\n')
                .append("devices:\n");
        Table devices = new Table("  TYPE", "MMIO", "IRQ");
        for (AttachedDevice device : vm.devices()) {
            devices.row("  " + device.type(), "0x%08x-0x%08x".formatted(device.window().base(),
                    device.window().base() + device.window().size() - 1), device.irq() == 0 ? "-" : device.irq());
        }
        return out.append(devices).toString();
    }

    /** What the VM's balloon holds and is asked to hold, when it has one. */
    private String balloon(String name) {
        MemoryAllocator allocator = memoryAllocator;
        return allocator == null ? "" : allocator.balloon(name)
                .map(balloon -> ", " + Sizes.human(balloon.balloonedBytes()) + " ballooned (target "
                        + Sizes.human(balloon.targetBytes()) + ")")
                .orElse("");
    }

    @Descriptor("write the VM's flattened device tree (DTB) to a file; dtc -I dtb -O dts reads it")
    public String dtb(CommandSession session, @Descriptor("VM name") String name,
                      @Descriptor("output file") String file) throws IOException {
        Path target = session.currentDir().resolve(file);
        byte[] blob = vms.deviceTree(name);
        Files.write(target, blob);
        return "wrote " + blob.length + " bytes to " + target;
    }

    @Descriptor("attach this terminal to a VM's console; Ctrl-] detaches (from a script: the end of input does)")
    public String console(CommandSession session, @Descriptor("VM name") String name)
            throws IOException, InterruptedException {
        VmInfo vm = vms.info(name).orElseThrow(() -> new IllegalArgumentException("no VM named " + name));
        if (vm.state() != VmState.RUNNING && vm.state() != VmState.PAUSED) {
            throw new IllegalStateException("VM " + name + " is " + describe(vm) + "; start it first (vm:start "
                    + name + ")");
        }
        VmConsole console = vms.console(name);
        session.getConsole().println("[attached to " + name + "; Ctrl-] detaches]");
        ConsolePump pump = new ConsolePump(console, session.getKeyboard(), session.getConsole(), console.end());
        if (!RawTerminal.isTerminal()) {
            return pump.pipe(() -> isOver(name)) ? "\n[end of input: detached from " + name + "]"
                    : "\n[" + name + " is " + describe(vms.info(name).orElseThrow()) + "]";
        }
        try (RawTerminal raw = RawTerminal.enter()) {
            while (pump.step(true)) {
                if (isOver(name)) {
                    pump.drain();
                    return "\r\n[" + name + " is " + describe(vms.info(name).orElseThrow()) + "]";
                }
            }
        }
        return "\r\n[detached from " + name + "]";
    }

    @Descriptor("run one VM in the foreground with the console on this terminal (Ctrl-] stops it); returns the"
            + " guest's exit status. --gdb [HOST:]PORT serves it to gdb (loopback unless a host is given);"
            + " --wait-gdb holds it until gdb lets it run")
    public int run(CommandSession session, @Descriptor("options: " + VmOptions.RUN_USAGE) String... options)
            throws InterruptedException, IOException {
        VmOptions.Run request = VmOptions.parseRun(session.currentDir(), "run" + runs.incrementAndGet(), options);
        DebugServer debugger = request.gdb() == null ? null : debugServer();
        String name;
        if (request.restore() != null) {
            SnapshotSummary restored = vms.restore(request.restore(), request.restoreName());
            name = restored.vmName();
            System.err.println("pogo: " + describeRestore(restored));
        } else if (request.receive() != null) {
            MigrationSummary received = vms.receive(request.receive().host(), request.receive().port(),
                    line -> System.err.println("pogo: " + line));
            name = received.vmName();
            System.err.println("pogo: " + MigrationCommands.describeReceived(received));
        } else {
            name = request.config().name();
            vms.create(request.config());
        }
        try {
            ConsolePump pump = new ConsolePump(vms.console(name), session.getKeyboard(), session.getConsole(), 0);
            if (debugger != null) {
                InetSocketAddress address = debugger.open(name, request.gdb(), request.waitForGdb());
                System.err.println("pogo: gdb stub of " + name + " on " + address.getHostString() + ":"
                        + address.getPort() + (request.waitForGdb() ? ", waiting for gdb to continue" : ""));
            }
            if (request.config() != null) {
                vms.start(name);
            }
            try (RawTerminal raw = RawTerminal.enter()) {
                while (!isOver(name)) {
                    if (!pump.step(true)) {
                        session.getConsole().print("\r\n[Ctrl-] pressed: stopping " + name + "]\r\n");
                        vms.stop(name);
                        return INTERRUPTED;
                    }
                }
                pump.drain();
            }
            VmInfo end = vms.info(name).orElseThrow();
            if (end.state() == VmState.FAILED) {
                throw new IllegalStateException("VM " + end.name() + " failed: " + end.failure());
            }
            if (end.exitStatus() < 0 && debugger != null) {
                System.err.println("pogo: " + end.name() + " terminated via gdb");
                return 0;
            }
            return end.exitStatus();
        } finally {
            if (debugger != null) {
                debugger.close(name);
            }
            vms.destroy(name);
        }
    }

    @Descriptor("write a running or paused VM to a snapshot file (it pauses meanwhile); --stop stops it after")
    public String snapshot(CommandSession session, @Descriptor("NAME FILE [--stop]") String... words) {
        List<String> positional = new ArrayList<>();
        boolean stop = false;
        for (String word : words) {
            if (word.equals("--stop")) {
                stop = true;
            } else if (word.startsWith("--")) {
                throw new IllegalArgumentException("vm:snapshot: unknown option " + word + " (usage: vm:snapshot NAME"
                        + " FILE [--stop])");
            } else {
                positional.add(word);
            }
        }
        if (positional.size() != 2) {
            throw new IllegalArgumentException("usage: vm:snapshot NAME FILE [--stop]");
        }
        Path file = session.currentDir().resolve(positional.get(1));
        SnapshotSummary written = vms.snapshot(positional.get(0), file, stop);
        return "snapshot of " + written.vmName() + " written to " + file + ": " + Sizes.human(written.fileBytes())
                + " (" + Sizes.human(written.touchedBytes()) + " of RAM) in " + seconds(written.took())
                + (stop ? "; " + written.vmName() + " stopped" : "");
    }

    @Descriptor("create a VM from a snapshot file and run it from where the snapshot left it")
    public String restore(CommandSession session, @Descriptor("FILE [--name NEW]") String... words) {
        if (words.length != 1 && !(words.length == 3 && words[1].equals("--name"))) {
            throw new IllegalArgumentException("usage: vm:restore FILE [--name NEW]");
        }
        SnapshotSummary restored = vms.restore(session.currentDir().resolve(words[0]),
                words.length == 3 ? words[2] : null);
        return describeRestore(restored);
    }

    private static String describeRestore(SnapshotSummary restored) {
        return "restored " + restored.vmName() + " from " + restored.file() + ": " + Sizes.human(restored.fileBytes())
                + " (" + Sizes.human(restored.touchedBytes()) + " of RAM) in " + seconds(restored.took())
                + "; running";
    }

    private static String seconds(Duration took) {
        return "%.2f s".formatted(took.toNanos() / 1e9);
    }

    private DebugServer debugServer() {
        DebugServer server = debugServer;
        if (server == null) {
            throw new IllegalArgumentException("--gdb: no GDB stub is installed (the gdb bundle is not active)");
        }
        return server;
    }

    private boolean isOver(String name) {
        VmState state = vms.state(name).orElse(VmState.STOPPED);
        return state == VmState.STOPPED || state == VmState.FAILED;
    }

    private static String describe(CodeCacheStats code) {
        return Sizes.human(code.usedBytes()) + " of " + Sizes.human(code.limitBytes()) + " (peak "
                + Sizes.human(code.peakBytes()) + "), flushed " + code.flushes() + " time(s) when full";
    }

    private static String describe(VmInfo vm) {
        String state = vm.state().name().toLowerCase();
        if (vm.state() == VmState.FAILED) {
            return state + " (" + vm.failure() + ")";
        }
        if (!vm.waitingFor().isEmpty()) {
            return state + " (" + vm.waitingFor() + ")";
        }
        return vm.exitStatus() >= 0 ? state + " (exit " + vm.exitStatus() + ")" : state;
    }
}
