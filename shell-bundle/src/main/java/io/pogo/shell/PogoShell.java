package io.pogo.shell;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.util.List;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Converter;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * The console of {@code pogo}: reads Gogo command lines from the terminal (or a script on standard input), runs
 * them, prints their results on stdout and their failures on stderr as one sentence each. End of input (or
 * {@code exit}) stops the framework, as Karaf's console does. Runs only where the launcher asks for it with the
 * framework property {@value #ENABLED}; Gogo's own console is then started with {@code --nointeractive}.
 */
@Component(immediate = true)
public final class PogoShell {

    static final String ENABLED = "pogo.shell";
    private static final String PROMPT = "g! ";
    /**
     * Where an unscoped command is looked up first: Pogo's help, then Felix's and Gogo's own commands, so
     * {@code start} and {@code stop} mean bundles as in every Felix shell (VMs are {@code vm:start}).
     */
    private static final String SCOPE = "pogo:felix:gogo:*";

    @Reference
    private CommandProcessor processor;
    private BundleContext context;
    private Thread thread;

    @Activate
    void activate(BundleContext context) {
        this.context = context;
        if (Boolean.parseBoolean(context.getProperty(ENABLED))) {
            thread = Thread.ofPlatform().name("pogo-shell").start(this::run);
        }
    }

    @Deactivate
    void deactivate() {
        if (thread != null) {
            thread.interrupt();
        }
    }

    private void run() {
        KeyboardInput keyboard = KeyboardInput.of(new FileInputStream(FileDescriptor.in));
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true);
        PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true);
        boolean interactive = System.console() != null && System.console().isTerminal();
        CommandCatalog catalog = new CommandCatalog(context);
        try (CommandSession session = processor.createSession(keyboard, out, err)) {
            session.put("SCOPE", SCOPE);
            while (!Thread.currentThread().isInterrupted()) {
                if (interactive) {
                    out.print(PROMPT);
                    out.flush();
                }
                String line = keyboard.readLine();
                if (line == null || line.strip().equals("exit")) {
                    break;
                }
                if (line.isBlank() || line.stripLeading().startsWith("#")) {
                    continue;
                }
                try {
                    Object result = session.execute(line);
                    if (result != null) {
                        out.println(session.format(result, Converter.INSPECT));
                    }
                } catch (Exception e) {
                    err.println(ErrorSentence.of(e, line, name -> catalog.command(name)
                            .map(CommandCatalog.Command::usages).orElse(List.of())));
                    if (System.getenv("POGO_DEBUG") != null) {
                        e.printStackTrace(err);
                    }
                }
            }
        }
        stopFramework(err);
    }

    private void stopFramework(PrintStream err) {
        try {
            context.getBundle(0).stop();
        } catch (BundleException | IllegalStateException e) {
            err.println("pogo: stopping: " + e.getMessage());
        }
    }
}
