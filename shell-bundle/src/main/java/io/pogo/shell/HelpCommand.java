package io.pogo.shell;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.felix.service.command.Descriptor;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/**
 * {@code help}, {@code help SCOPE} and {@code help COMMAND}: Gogo's own help knows commands but not scopes, so
 * the shell searches this one first (its session's SCOPE starts with {@code pogo}).
 */
@Component(service = HelpCommand.class,
        property = {"osgi.command.scope=pogo", "osgi.command.function=help"})
public final class HelpCommand {

    private final CommandCatalog catalog;

    @Activate
    public HelpCommand(BundleContext context) {
        this.catalog = new CommandCatalog(context);
    }

    @Descriptor("list the command scopes, with the commands of each")
    public String help() {
        Map<String, List<String>> scopes = catalog.scopes();
        int width = scopes.keySet().stream().mapToInt(String::length).max().orElse(0) + 2;
        String table = scopes.entrySet().stream()
                .map(scope -> ("%-" + width + "s%s").formatted(scope.getKey(), String.join(" ", scope.getValue())))
                .collect(Collectors.joining("\n"));
        return table + "\n\ntype help SCOPE (for example help vm) for one line per command, help COMMAND for its usage";
    }

    @Descriptor("describe the commands of a scope (help vm) or one command (help vm:create)")
    public String help(@Descriptor("scope or command") String topic) {
        List<CommandCatalog.Command> scope = topic.contains(":") ? List.of() : catalog.scope(topic);
        if (!scope.isEmpty()) {
            int width = scope.stream().mapToInt(command -> command.name().length()).max().orElse(0) + 2;
            return scope.stream().map(command -> ("%-" + width + "s%s").formatted(command.name(), command.summary()))
                    .collect(Collectors.joining("\n"));
        }
        Optional<CommandCatalog.Command> command = catalog.command(topic);
        if (command.isEmpty()) {
            throw new IllegalArgumentException("no command or scope named " + topic + " (type help to list them)");
        }
        return "usage: " + String.join("\n       ", command.get().usages()) + "\n  " + command.get().summary();
    }
}
