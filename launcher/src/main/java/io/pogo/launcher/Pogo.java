package io.pogo.launcher;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The {@code pogo} command. Without arguments: Felix with every Pogo bundle and the Gogo shell on the terminal
 * (commands from stdin when it is not a terminal). {@code pogo run OPTIONS}: one VM, headless, exit status =
 * the guest's. Argument and configuration errors: one line on stderr, exit status 2.
 */
public final class Pogo {

    static final int USAGE_ERROR = 2;
    static final int FAILURE = 1;

    private Pogo() {
    }

    public static void main(String[] args) {
        UncaughtFailures.install();
        System.exit(run(args, System.err));
    }

    static int run(String[] args, PrintStream err) {
        Path home = home();
        if (args.length == 0) {
            return Framework.shell(home, err);
        }
        return switch (args[0]) {
            case "run" -> Framework.runVm(home, Arrays.copyOfRange(args, 1, args.length), err);
            case "help", "-h", "--help" -> {
                System.out.println(usage());
                yield 0;
            }
            default -> {
                err.println("pogo: unknown command '" + args[0] + "' (" + usage().lines().findFirst().orElseThrow()
                        + ")");
                yield USAGE_ERROR;
            }
        };
    }

    static String usage() {
        return String.join("\n", List.of(
                "usage: pogo [run OPTIONS]",
                "  pogo                 the Felix/Gogo shell with every Pogo bundle (type 'help')",
                "  pogo run OPTIONS     one VM, headless, console on this terminal, exit status = the guest's",
                "options: [--smp N] [--mem SIZE] [--bios builtin|none|FILE] --kernel FILE [--initrd FILE]",
                "         [--append STR] [--drive file=PATH[,readonly=on]]... [--nic switch=NAME]...",
                "         [--device TYPE[,k=v...]]... [--virtio-legacy] [--gdb [HOST:]PORT [--wait-gdb]]"));
    }

    /** The distribution directory: {@code lib/} holds this jar, {@code bundles/} the bundles to install. */
    private static Path home() {
        String configured = System.getProperty("pogo.home");
        if (configured != null) {
            return Path.of(configured);
        }
        try {
            Path jar = Path.of(Pogo.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path dist = jar.getParent().getParent();
            if (Files.isDirectory(dist.resolve("bundles"))) {
                return dist;
            }
            throw new IllegalStateException("no bundles directory next to " + jar);
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
