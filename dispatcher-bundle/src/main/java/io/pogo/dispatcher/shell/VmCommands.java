package io.pogo.dispatcher.shell;

import io.pogo.api.vm.AttachedDevice;
import io.pogo.api.vm.VmConfig;
import io.pogo.api.vm.VmConsole;
import io.pogo.api.vm.VmInfo;
import io.pogo.api.vm.VmManager;
import io.pogo.api.vm.VmState;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** The {@code vm:} commands of the Gogo shell. */
@Component(service = VmCommands.class, property = {
        "osgi.command.scope=vm",
        "osgi.command.function=create", "osgi.command.function=start", "osgi.command.function=stop",
        "osgi.command.function=pause", "osgi.command.function=resume", "osgi.command.function=destroy",
        "osgi.command.function=list", "osgi.command.function=info", "osgi.command.function=console",
        "osgi.command.function=run"})
public final class VmCommands {

    /** Ctrl-] ends {@code vm:console}, as in telnet and virsh. */
    static final int DETACH_KEY = 0x1d;

    private static final Duration KEYBOARD_POLL = Duration.ofMillis(10);

    private final AtomicInteger runs = new AtomicInteger();

    @Reference
    private VmManager vms;

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
                .append(Sizes.human(vm.residentBytes())).append(" resident\n")
                .append("instructions: ").append(vm.instructionsRetired()).append('\n')
                .append("devices:\n");
        Table devices = new Table("  TYPE", "MMIO", "IRQ");
        for (AttachedDevice device : vm.devices()) {
            devices.row("  " + device.type(), "0x%08x-0x%08x".formatted(device.window().base(),
                    device.window().base() + device.window().size() - 1), device.irq() == 0 ? "-" : device.irq());
        }
        return out.append(devices).toString();
    }

    @Descriptor("attach this terminal to a VM's console; Ctrl-] detaches")
    public String console(CommandSession session, @Descriptor("VM name") String name) throws IOException {
        VmConsole console = vms.console(name);
        PrintStream out = session.getConsole();
        out.println("[attached to " + name + "; Ctrl-] detaches]");
        console.attach(out);
        try {
            InputStream keyboard = session.getKeyboard();
            for (int key = keyboard.read(); key >= 0 && key != DETACH_KEY; key = keyboard.read()) {
                console.type(new byte[] {(byte) key});
            }
        } finally {
            console.detach();
        }
        return "[detached from " + name + "]";
    }

    @Descriptor("run one VM in the foreground with the console on this terminal; returns the guest's exit status")
    public int run(CommandSession session, @Descriptor("options: " + VmOptions.USAGE) String... options)
            throws InterruptedException, IOException {
        VmConfig config = VmOptions.parse(session.currentDir(), "run" + runs.incrementAndGet(), options);
        vms.create(config);
        VmConsole console = vms.console(config.name());
        console.attach(session.getConsole());
        try {
            vms.start(config.name());
            VmInfo end = forwardKeysUntilTermination(session.getKeyboard(), console, config.name());
            if (end.state() == VmState.FAILED) {
                session.getConsole().flush();
                throw new IllegalStateException("VM " + end.name() + " failed: " + end.failure());
            }
            return end.exitStatus();
        } finally {
            console.detach();
            vms.destroy(config.name());
        }
    }

    /**
     * Polls rather than blocks on the keyboard: Gogo's streams belong to the command's thread, and a blocking read
     * could outlive the VM.
     */
    private VmInfo forwardKeysUntilTermination(InputStream keyboard, VmConsole console, String name)
            throws InterruptedException, IOException {
        byte[] buffer = new byte[256];
        while (true) {
            int available = keyboard.available();
            if (available > 0) {
                int n = keyboard.read(buffer, 0, Math.min(available, buffer.length));
                if (n > 0) {
                    console.type(Arrays.copyOf(buffer, n));
                }
            }
            Optional<VmInfo> end = vms.awaitTermination(name, KEYBOARD_POLL);
            if (end.isPresent()) {
                return end.get();
            }
        }
    }

    private static String describe(VmInfo vm) {
        String state = vm.state().name().toLowerCase();
        if (vm.state() == VmState.FAILED) {
            return state + " (" + vm.failure() + ")";
        }
        return vm.exitStatus() >= 0 ? state + " (exit " + vm.exitStatus() + ")" : state;
    }
}
