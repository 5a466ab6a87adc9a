package io.pogo.launcher;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Which bundles {@code pogo run} installs: only those its options need, since every bundle installed costs
 * start-up time (its manifest, its wiring, its components' descriptors and activation). Never the shell, Gogo's
 * console and commands or FileInstall; the gdb stub only with {@code --gdb}; the optional virtio devices (block,
 * net, balloon) only when an option names a device or brings devices of its own (a snapshot, a migration), and then
 * all of them, so a device type the run does not know is still refused with the whole list of those available.
 */
record RunBundles(boolean debugged, boolean devices) implements Predicate<Path> {

    private static final Set<String> NEVER = Set.of(Framework.SHELL_JAR, "org.apache.felix.gogo.shell.jar",
            "org.apache.felix.fileinstall.jar", "org.apache.felix.gogo.command.jar");
    private static final String GDB = "gdb.jar";
    private static final Set<String> OPTIONAL_DEVICES = Set.of("storage-virtio-blk.jar", "nic-virtio-net.jar",
            "balloon-virtio.jar");
    private static final List<String> DEVICE_OPTIONS = List.of("--drive", "--nic", "--device", "--restore",
            "--receive");

    static RunBundles of(String[] args) {
        return new RunBundles(Arrays.stream(args).anyMatch(arg -> isOption(arg, "--gdb")),
                Arrays.stream(args).anyMatch(arg -> DEVICE_OPTIONS.stream().anyMatch(name -> isOption(arg, name))));
    }

    @Override
    public boolean test(Path jar) {
        String name = jar.getFileName().toString();
        return !NEVER.contains(name) && (debugged || !name.equals(GDB))
                && (devices || !OPTIONAL_DEVICES.contains(name));
    }

    private static boolean isOption(String arg, String name) {
        return arg.equals(name) || arg.startsWith(name + "=");
    }
}
