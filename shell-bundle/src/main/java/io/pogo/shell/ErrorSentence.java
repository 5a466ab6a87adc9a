package io.pogo.shell;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.util.List;
import java.util.function.Function;
import org.apache.felix.gogo.runtime.CommandNotFoundException;
import org.apache.felix.gogo.runtime.SyntaxError;

/**
 * What a user reads when a command line fails: one sentence, without Java class names or stack traces. A
 * command's own exceptions already say what went wrong; Gogo's (unknown command, arguments that do not fit any
 * form of the command, bad syntax) are put in the user's words.
 */
final class ErrorSentence {

    private static final String GOGO_COERCION = "Cannot coerce ";

    private ErrorSentence() {
    }

    /**
     * @param failure what the command line threw
     * @param line    the command line
     * @param usages  the usage lines of a command, by name (empty when unknown)
     */
    static String of(Throwable failure, String line, Function<String, List<String>> usages) {
        Throwable problem = unwrap(failure);
        String command = firstWord(line);
        String message = problem.getMessage() == null ? "" : problem.getMessage().strip();
        return switch (problem) {
            case CommandNotFoundException notFound ->
                    bare(notFound.getCommand()) + ": no such command (type help to list the commands)";
            case SyntaxError syntax -> "cannot read the command line: " + message;
            case IllegalArgumentException wrongArguments when message.startsWith(GOGO_COERCION) -> {
                List<String> forms = usages.apply(command);
                yield command + ": wrong arguments" + (forms.isEmpty() ? ""
                        : "; usage: " + String.join(" | ", forms));
            }
            case Exception expected when saysWhatWentWrong(expected) && !message.isEmpty() -> message;
            default -> command + " failed: internal error (a bug in Pogo; start it with POGO_DEBUG=1 for details)";
        };
    }

    /** The exceptions commands throw on purpose, with a sentence for the user. */
    private static boolean saysWhatWentWrong(Exception problem) {
        return problem instanceof IllegalArgumentException || problem instanceof IllegalStateException
                || problem instanceof IOException || problem instanceof UncheckedIOException;
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable problem = failure;
        while (problem instanceof InvocationTargetException && problem.getCause() != null) {
            problem = problem.getCause();
        }
        return problem;
    }

    /** Gogo names an unscoped command it could not find {@code *:name}. */
    private static String bare(String command) {
        return command.startsWith("*:") ? command.substring(2) : command;
    }

    private static String firstWord(String line) {
        String stripped = line.strip();
        int space = stripped.indexOf(' ');
        return space < 0 ? stripped : stripped.substring(0, space);
    }
}
