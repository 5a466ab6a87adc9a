package io.pogo.shell;

import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;

/**
 * The shell commands registered in the framework, described from their services: scope, function, the
 * {@link Descriptor} of each method and of its parameters.
 */
final class CommandCatalog {

    /** One command: {@code scope:function}, what it does, and one usage line per way of calling it. */
    record Command(String name, String summary, List<String> usages) {
    }

    private final BundleContext context;

    CommandCatalog(BundleContext context) {
        this.context = context;
    }

    /** Every scope with the functions it offers, sorted. */
    SortedMap<String, List<String>> scopes() {
        SortedMap<String, List<String>> scopes = new TreeMap<>();
        for (ServiceReference<?> reference : references("(" + CommandProcessor.COMMAND_SCOPE + "=*)")) {
            List<String> functions = scopes.computeIfAbsent(String.valueOf(
                    reference.getProperty(CommandProcessor.COMMAND_SCOPE)), scope -> new ArrayList<>());
            for (String function : functions(reference)) {
                if (!functions.contains(function)) {
                    functions.add(function);
                }
            }
        }
        scopes.values().forEach(functions -> functions.sort(Comparator.naturalOrder()));
        return scopes;
    }

    /** The commands of one scope, sorted by name. */
    List<Command> scope(String scope) {
        List<Command> commands = new ArrayList<>();
        for (ServiceReference<?> reference : references("(" + CommandProcessor.COMMAND_SCOPE + "=" + scope + ")")) {
            for (String function : functions(reference)) {
                describe(reference, scope, function).ifPresent(commands::add);
            }
        }
        commands.sort(Comparator.comparing(Command::name));
        return commands;
    }

    /** One command, named {@code scope:function} or by its function alone (the first scope that has it). */
    Optional<Command> command(String name) {
        int colon = name.indexOf(':');
        String function = colon < 0 ? name : name.substring(colon + 1);
        String scopeFilter = colon < 0 ? "*" : name.substring(0, colon);
        for (ServiceReference<?> reference : references("(&(" + CommandProcessor.COMMAND_SCOPE + "=" + scopeFilter
                + ")(" + CommandProcessor.COMMAND_FUNCTION + "=" + function + "))")) {
            Optional<Command> command = describe(reference,
                    String.valueOf(reference.getProperty(CommandProcessor.COMMAND_SCOPE)), function);
            if (command.isPresent()) {
                return command;
            }
        }
        return Optional.empty();
    }

    private Optional<Command> describe(ServiceReference<?> reference, String scope, String function) {
        Object service = context.getService(reference);
        if (service == null) {
            return Optional.empty();
        }
        try {
            List<Method> methods = Arrays.stream(service.getClass().getMethods())
                    .filter(method -> method.getName().equals(function))
                    .sorted(Comparator.comparingInt(Method::getParameterCount)).toList();
            if (methods.isEmpty()) {
                return Optional.empty();
            }
            String name = scope + ":" + function;
            String summary = methods.stream().map(method -> method.getAnnotation(Descriptor.class))
                    .filter(descriptor -> descriptor != null).map(Descriptor::value).findFirst().orElse("");
            List<String> usages = methods.stream().map(method -> usage(name, method)).distinct().toList();
            return Optional.of(new Command(name, summary, usages));
        } finally {
            context.ungetService(reference);
        }
    }

    private static String usage(String name, Method method) {
        StringBuilder usage = new StringBuilder(name);
        for (Parameter parameter : method.getParameters()) {
            if (parameter.getType() == CommandSession.class) {
                continue;
            }
            Descriptor descriptor = parameter.getAnnotation(Descriptor.class);
            String word = descriptor == null ? parameter.getType().getSimpleName().toLowerCase() : descriptor.value();
            usage.append(" <").append(word).append('>').append(parameter.isVarArgs() ? "..." : "");
        }
        return usage.toString();
    }

    private static List<String> functions(ServiceReference<?> reference) {
        Object functions = reference.getProperty(CommandProcessor.COMMAND_FUNCTION);
        return switch (functions) {
            case String[] several -> List.of(several);
            case String one -> List.of(one);
            case null, default -> List.of();
        };
    }

    private List<ServiceReference<?>> references(String filter) {
        try {
            ServiceReference<?>[] found = context.getServiceReferences((String) null, filter);
            return found == null ? List.of() : List.of(found);
        } catch (InvalidSyntaxException e) {
            return List.of();
        }
    }
}
