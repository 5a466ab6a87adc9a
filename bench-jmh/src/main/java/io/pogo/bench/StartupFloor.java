package io.pogo.bench;

import io.pogo.launcher.PogoFramework;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The floor under {@code pogo run}'s start-up: a process started as {@code pogo run} is (the same JVM, options and
 * kind of AOT cache; {@code scripts/bench} makes one for this class) that starts the framework the way
 * {@code pogo run} does ({@link PogoFramework}) with the bundles every run needs before any of Pogo's own (Declarative
 * Services and the OSGi libraries it uses, ConfigAdmin, Gogo's runtime), waits for Gogo's command processor and
 * exits as {@code pogo run} does. What {@code pogo run} of hello.elf takes beyond this is Pogo's: its bundles, their
 * components, the VM and the guest.
 */
public final class StartupFloor {

    private static final List<String> FRAMEWORK_BUNDLES = List.of("org.apache.felix.scr", "org.apache.felix.configadmin",
            "org.apache.felix.gogo.runtime", "org.osgi.");
    private static final String COMMAND_PROCESSOR = "(objectClass=org.apache.felix.service.command.CommandProcessor)";

    private StartupFloor() {
    }

    /** Argument: the distribution's bundles directory. */
    public static void main(String[] args) throws Exception {
        PogoFramework framework = PogoFramework.boot(Path.of(args[0]), Map.of(), StartupFloor::isFrameworkBundle);
        framework.awaitService(COMMAND_PROCESSOR);
        System.out.println("framework up");
        framework.abandon();
        System.exit(0);
    }

    private static boolean isFrameworkBundle(Path jar) {
        String name = jar.getFileName().toString();
        return FRAMEWORK_BUNDLES.stream().anyMatch(name::startsWith);
    }
}
