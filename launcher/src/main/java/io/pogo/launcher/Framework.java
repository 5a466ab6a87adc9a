package io.pogo.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.osgi.framework.BundleException;
import org.osgi.framework.ServiceReference;

/** The two ways {@code pogo} runs the framework: the Gogo shell, or one headless VM. */
final class Framework {

    static final String SHELL_JAR = "shell.jar";
    /**
     * SCR's timer that republishes its service.changecount property 5 s after services change, which nothing in
     * `pogo run` reads: put off for a day, so the run has no framework work in the background. A guest that exhausts
     * the heap then fails in its own threads, which say so in one line; SCR's timer, caught short of heap at that
     * moment, printed a stack trace of its own. Nor does the run register SCR's own Gogo commands (scr:list and
     * the like), which its one session never calls: SCR made a converter for them by a dynamic proxy, a class
     * generated at every start.
     */
    private static final Map<String, String> RUN_PROPERTIES = Map.of("ds.service.changecount.timeout", "86400000",
            "ds.commands.enabled", "false");
    /**
     * The files of {@code etc/} FileInstall looks at, as Karaf's etc does: any other file there (a log, a console
     * transcript) was opened as a possible bundle archive at every poll, reading back through it for a zip
     * directory it does not have.
     */
    private static final String DEFINITION_FILES = ".*\\.(cfg|config)";
    private static final String COMMAND_PROCESSOR = "org.apache.felix.service.command.CommandProcessor";
    private static final String VM_COMMANDS = "(&(osgi.command.scope=vm)(osgi.command.function=run))";

    private Framework() {
    }

    /**
     * The interactive (or stdin-scripted) shell; returns when the framework stops. The shell bundle starts only
     * once the Pogo commands are registered, so scripted input never races them. Gogo's own console is not
     * started: its commands are, and Pogo's shell reads the terminal.
     */
    static int shell(Path home, PrintStream err) {
        Path bundles = home.resolve("bundles");
        try (PogoFramework framework = PogoFramework.boot(bundles, shellProperties(), jar -> !isShell(jar))) {
            framework.awaitService(VM_COMMANDS);
            framework.start(bundles.resolve(SHELL_JAR));
            framework.awaitStop();
            return 0;
        } catch (BundleException | IOException | IllegalStateException e) {
            err.println("pogo: " + e.getMessage());
            return Pogo.FAILURE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Pogo.FAILURE;
        }
    }

    /**
     * {@code pogo run}: {@code vm:run} in a Gogo session on this process's stdin/stdout. The streams are taken
     * before the framework starts: Gogo's runtime replaces System.in/out with per-thread streams. Only the bundles
     * the run's options need are installed ({@link RunBundles}), and there is no definitions folder. The process
     * exits when the VM is over (vm:run has released it), so the framework is abandoned rather than stopped bundle
     * by bundle.
     */
    static int runVm(Path home, String[] args, PrintStream err) {
        InputStream stdin = System.in;
        PrintStream stdout = System.out;
        PogoFramework framework;
        RunWarmUp.start();
        try {
            framework = PogoFramework.bootFromTemplate(home.resolve("bundles"), RUN_PROPERTIES, RunBundles.of(args), home);
        } catch (BundleException | IOException | RuntimeException e) {
            return report(e, err);
        }
        try {
            // SCR activates the commands' component, and every component it references, on the thread that gets it
            // first: here, while this one makes the Gogo session and Gogo parses the command, which then waits for it.
            // That thread then removes the framework's storage, which the run reads no more, while the VM runs.
            ServiceReference<?> commands = framework.awaitService(VM_COMMANDS);
            Thread.ofPlatform().daemon().name("pogo-activation").start(() -> {
                framework.context().getService(commands);
                framework.releaseStorage();
            });
            Object processor = framework.context().getService(
                    framework.awaitService("(objectClass=" + COMMAND_PROCESSOR + ")"));
            Class<?> processorType = processor.getClass().getClassLoader().loadClass(COMMAND_PROCESSOR);
            Object session = processorType.getMethod("createSession", InputStream.class, OutputStream.class,
                    OutputStream.class).invoke(processor, stdin, stdout, err);
            Method execute = processorType.getClassLoader()
                    .loadClass("org.apache.felix.service.command.CommandSession")
                    .getMethod("execute", CharSequence.class);
            Object status = execute.invoke(session, GogoQuoting.command("vm:run", args));
            stdout.flush();
            return ((Number) status).intValue();
        } catch (InvocationTargetException e) {
            return report(e.getCause(), err);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return report(e, err);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Pogo.FAILURE;
        } finally {
            framework.abandon();
        }
    }

    /**
     * The shell also runs what {@code etc/} defines, as Karaf does: {@code io.pogo.vm-NAME.cfg} files become VMs
     * through FileInstall and ConfigAdmin. FileInstall logs through java.util.logging, which {@link FileInstallLog}
     * turns into one line per problem.
     */
    private static Map<String, String> shellProperties() {
        FileInstallLog.install();
        return Map.of("pogo.definitions", "true",
                "pogo.shell", "true",
                "gosh.args", "--nointeractive",
                "felix.fileinstall.dir", definitionsDirectory().toString(),
                "felix.fileinstall.filter", DEFINITION_FILES,
                "felix.fileinstall.noInitialDelay", "true",
                "felix.fileinstall.enableConfigSave", "false",
                "felix.fileinstall.log.level", "2",
                "felix.fileinstall.log.default", "jul");
    }

    /** The folder of VM definition files: the system property {@code pogo.etc}, else {@code etc/} of the checkout. */
    static Path definitionsDirectory() {
        String configured = System.getProperty("pogo.etc");
        Path etc = configured != null && !configured.isEmpty() ? Path.of(configured)
                : Path.of(System.getProperty("pogo.root", ".")).resolve("etc");
        return etc.toAbsolutePath().normalize();
    }

    private static boolean isShell(Path jar) {
        return jar.getFileName().toString().equals(SHELL_JAR);
    }

    /** One line for what went wrong: a wrapper (a reflective call's, a task's) is reported as what it wraps. */
    private static int report(Throwable thrown, PrintStream err) {
        System.out.flush();
        Throwable problem = thrown;
        while ((problem instanceof InvocationTargetException || problem instanceof ExecutionException)
                && problem.getCause() != null) {
            problem = problem.getCause();
        }
        String message = problem.getMessage() == null ? problem.toString() : problem.getMessage();
        return switch (problem) {
            case IllegalArgumentException bad -> {
                err.println("pogo: " + message);
                yield Pogo.USAGE_ERROR;
            }
            case IllegalStateException failed -> {
                err.println("pogo: " + message);
                yield Pogo.FAILURE;
            }
            case OutOfMemoryError exhausted -> {
                err.println("pogo: the host ran out of memory (" + message + ")");
                yield Pogo.FAILURE;
            }
            default -> {
                err.println("pogo: internal error: " + problem);
                yield Pogo.FAILURE;
            }
        };
    }
}
