package io.pogo.dispatcher.shell;

import io.pogo.api.allocator.LimitedResource;
import io.pogo.api.vm.DeviceRequest;
import io.pogo.api.vm.Firmware;
import io.pogo.api.vm.VmConfig;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/** The options of {@code pogo run}, {@code vm:run} and {@code vm:create}, as in DESIGN.md's CLI contract. */
final class VmOptions {

    static final String USAGE = "[--name NAME] [--smp N] [--mem SIZE] [--bios builtin|none|FILE] --kernel FILE"
            + " [--initrd FILE] [--append STR] [--drive file=PATH[,readonly=on]]... [--nic switch=NAME]..."
            + " [--device TYPE[,k=v...]]... [--limit disk|net:bytes=RATE,ops=RATE[,bytes-burst=N][,ops-burst=N]]..."
            + " [--virtio-legacy] [--dtb FILE]";
    static final String RUN_USAGE = USAGE + " [--gdb [HOST:]PORT [--wait-gdb]] | --restore FILE [--name NAME]"
            + " | --receive [HOST:]PORT";

    /**
     * A VM to run in the foreground, and where its GDB stub listens ({@code --gdb}), if it has one; or a snapshot to
     * restore and run ({@code --restore}), under {@code restoreName} unless that is null, when config is null; or
     * where to wait for a VM that migrates here ({@code --receive}), when config and restore are null.
     */
    record Run(VmConfig config, String gdb, boolean waitForGdb, Path restore, String restoreName,
               MigrationCommands.Endpoint receive) {
    }

    /** The kernel command line travels in the device tree, whose slot in RAM is 2 MiB. */
    static final int MAX_APPEND = 64 << 10;

    String name;
    int harts;
    String memory;
    String bios;
    String kernel;
    String initrd;
    String append;
    List<String> drives;
    List<String> nics;
    List<String> devices;
    List<String> limits;
    boolean virtioLegacy;
    String dtb;
    String gdb;
    boolean waitForGdb;
    String restore;
    String receive;

    /**
     * Parses the arguments into a configuration; {@code defaultName} applies when there is no --name, relative
     * file names are resolved against {@code directory}.
     */
    static VmConfig parse(Path directory, String defaultName, String... args) {
        VmOptions options = read(args);
        if (options.receive != null) {
            throw new IllegalArgumentException("--receive is for pogo run and vm:run; vm:receive [HOST:]PORT receives a"
                    + " VM in the shell");
        }
        if (options.restore != null) {
            throw new IllegalArgumentException("--restore is for pogo run and vm:run; vm:restore FILE restores a VM"
                    + " in the shell");
        }
        if (options.gdb != null || options.waitForGdb) {
            throw new IllegalArgumentException((options.gdb != null ? "--gdb" : "--wait-gdb")
                    + " is for pogo run and vm:run; vm:gdb NAME PORT serves a VM that exists");
        }
        return options.config(directory, defaultName);
    }

    /** As {@link #parse}, with the options only a run in the foreground has. */
    static Run parseRun(Path directory, String defaultName, String... args) {
        VmOptions options = read(args);
        if (options.receive != null) {
            return options.receiveRun();
        }
        if (options.restore != null) {
            return options.restoreRun(directory);
        }
        if (options.waitForGdb && options.gdb == null) {
            throw new IllegalArgumentException("--wait-gdb waits for the debugger of --gdb PORT, which is missing");
        }
        return new Run(options.config(directory, defaultName), options.gdb, options.waitForGdb, null, null, null);
    }

    /** The snapshot holds the whole VM: only a new name may go with it. */
    private Run restoreRun(Path directory) {
        if (kernel != null || initrd != null || dtb != null || bios != null && !bios.equals("builtin")
                || !append.isEmpty() || !drives.isEmpty() || !nics.isEmpty() || !devices.isEmpty() || virtioLegacy
                || harts != 1 || !memory.equals("128M") || gdb != null || waitForGdb) {
            throw new IllegalArgumentException("--restore FILE runs the VM the snapshot holds: only --name NAME goes"
                    + " with it");
        }
        return new Run(null, null, false, file("--restore", directory, restore), name, null);
    }

    /** The VM that migrates here brings its whole configuration: nothing goes with it. */
    private Run receiveRun() {
        if (restore != null || name != null || kernel != null || initrd != null || dtb != null
                || bios != null && !bios.equals("builtin") || !append.isEmpty() || !drives.isEmpty()
                || !nics.isEmpty() || !devices.isEmpty() || virtioLegacy || harts != 1 || !memory.equals("128M")
                || gdb != null || waitForGdb) {
            throw new IllegalArgumentException("--receive [HOST:]PORT runs the VM that migrates here: no other option"
                    + " goes with it");
        }
        return new Run(null, null, false, null, null, MigrationCommands.Endpoint.parse("--receive", receive, false));
    }

    /**
     * The options are described to picocli in code rather than by annotations on the fields: reading annotations
     * makes the JDK generate a proxy class for each annotation type at the first run, which took a tenth of the
     * CPU of {@code pogo run}'s session thread.
     */
    private static VmOptions read(String... args) {
        CommandSpec spec = CommandSpec.create().name("vm");
        for (String option : List.of("--name", "--mem", "--bios", "--kernel", "--initrd", "--append", "--dtb", "--gdb",
                "--restore", "--receive")) {
            spec.addOption(OptionSpec.builder(option).type(String.class).build());
        }
        spec.addOption(OptionSpec.builder("--smp").type(int.class).build());
        for (String option : List.of("--drive", "--nic", "--device", "--limit")) {
            spec.addOption(OptionSpec.builder(option).type(List.class).auxiliaryTypes(String.class).build());
        }
        for (String option : List.of("--virtio-legacy", "--wait-gdb")) {
            spec.addOption(OptionSpec.builder(option).type(boolean.class).build());
        }
        ParseResult parsed;
        try {
            parsed = new CommandLine(spec).parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            throw new IllegalArgumentException(oneLine(e.getMessage()));
        }
        VmOptions options = new VmOptions();
        options.name = parsed.matchedOptionValue("--name", null);
        options.harts = parsed.matchedOptionValue("--smp", 1);
        options.memory = parsed.matchedOptionValue("--mem", "128M");
        options.bios = parsed.matchedOptionValue("--bios", "builtin");
        options.kernel = parsed.matchedOptionValue("--kernel", null);
        options.initrd = parsed.matchedOptionValue("--initrd", null);
        options.append = parsed.matchedOptionValue("--append", "");
        options.drives = parsed.matchedOptionValue("--drive", List.of());
        options.nics = parsed.matchedOptionValue("--nic", List.of());
        options.devices = parsed.matchedOptionValue("--device", List.of());
        options.limits = parsed.matchedOptionValue("--limit", List.of());
        options.virtioLegacy = parsed.matchedOptionValue("--virtio-legacy", false);
        options.dtb = parsed.matchedOptionValue("--dtb", null);
        options.gdb = parsed.matchedOptionValue("--gdb", null);
        options.waitForGdb = parsed.matchedOptionValue("--wait-gdb", false);
        options.restore = parsed.matchedOptionValue("--restore", null);
        options.receive = parsed.matchedOptionValue("--receive", null);
        return options;
    }

    /** The configuration, its problems said on one line. */
    private VmConfig config(Path directory, String defaultName) {
        try {
            return toConfig(directory, defaultName);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(oneLine(e.getMessage()));
        }
    }

    private VmConfig toConfig(Path directory, String defaultName) {
        if (kernel == null) {
            throw new IllegalArgumentException("--kernel FILE is required");
        }
        if (append.length() > MAX_APPEND) {
            throw new IllegalArgumentException("--append is " + append.length() + " characters long; at most "
                    + MAX_APPEND + " fit in the device tree (Linux itself reads the first 1024)");
        }
        List<DeviceRequest> requests = new ArrayList<>();
        drives.forEach(drive -> requests.add(new DeviceRequest("virtio-blk", keyValues("--drive", drive))));
        nics.forEach(nic -> requests.add(new DeviceRequest("virtio-net", keyValues("--nic", nic))));
        for (String device : devices) {
            int comma = device.indexOf(',');
            String type = comma < 0 ? device : device.substring(0, comma);
            if (type.isEmpty()) {
                throw new IllegalArgumentException("--device " + device + ": the device type comes first");
            }
            requests.add(new DeviceRequest(type, comma < 0 ? Map.of() : keyValues("--device", device.substring(comma + 1))));
        }
        return new VmConfig(name == null ? defaultName : name, harts, size(memory), firmware(directory, bios),
                file("--kernel", directory, kernel), initrd == null ? null : file("--initrd", directory, initrd),
                append, List.copyOf(requests), virtioLegacy, dtb == null ? null : file("--dtb", directory, dtb),
                limits());
    }

    /** {@code --limit disk:WORDS}: the words are the allocator's to read, as alloc:limit's are. */
    private Map<LimitedResource, String> limits() {
        Map<LimitedResource, String> byResource = new EnumMap<>(LimitedResource.class);
        for (String limit : limits) {
            int colon = limit.indexOf(':');
            String word = colon < 0 ? limit : limit.substring(0, colon);
            LimitedResource resource = Arrays.stream(LimitedResource.values())
                    .filter(candidate -> candidate.word().equals(word)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("--limit " + limit
                            + ": say disk:bytes=RATE,... or net:bytes=RATE,..."));
            if (colon < 0 || byResource.put(resource, limit.substring(colon + 1)) != null) {
                throw new IllegalArgumentException("--limit " + limit + ": give each of disk and net once, as "
                        + word + ":bytes=RATE,ops=RATE");
            }
        }
        return Map.copyOf(byResource);
    }

    private static Firmware firmware(Path directory, String bios) {
        return switch (bios) {
            case "builtin" -> new Firmware.Builtin();
            case "none" -> new Firmware.None();
            default -> new Firmware.Image(file("--bios", directory, bios));
        };
    }

    /** A file name the host cannot represent (a NUL byte in it) is the user's mistake, told as one. */
    private static Path file(String option, Path directory, String name) {
        try {
            return directory.resolve(name);
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException(option + ": not a usable file name (" + e.getReason() + ")");
        }
    }

    /** QEMU's size syntax: a number with an optional K/M/G/T suffix; a bare number means MiB. */
    static long size(String text) {
        String value = text.trim().toUpperCase(Locale.ROOT);
        int shift = switch (value.isEmpty() ? ' ' : value.charAt(value.length() - 1)) {
            case 'K' -> 10;
            case 'M' -> 20;
            case 'G' -> 30;
            case 'T' -> 40;
            default -> -1;
        };
        String digits = shift < 0 ? value : value.substring(0, value.length() - 1);
        try {
            long number = Long.parseLong(digits);
            long bytes = number << (shift < 0 ? 20 : shift);
            if (number <= 0 || bytes >>> (shift < 0 ? 20 : shift) != number) {
                throw new NumberFormatException();
            }
            return bytes;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--mem " + text + ": expected a size such as 512M or 2G");
        }
    }

    static Map<String, String> keyValues(String option, String text) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String pair : text.split(",")) {
            int equals = pair.indexOf('=');
            if (equals <= 0) {
                throw new IllegalArgumentException(option + " " + text + ": expected key=value pairs separated by commas");
            }
            values.put(pair.substring(0, equals), pair.substring(equals + 1));
        }
        return values;
    }

    /** The words at fault are quoted in the message, line breaks and all; the user gets them back on one line. */
    private static String oneLine(String message) {
        return message.replaceAll("\\R", " ");
    }
}
