package io.pogo.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.InvocationTargetException;
import java.util.List;
import org.apache.felix.gogo.runtime.CommandNotFoundException;
import org.junit.jupiter.api.Test;

class ErrorSentenceTest {

    private static String sentence(Throwable failure, String line) {
        return ErrorSentence.of(failure, line, command -> command.equals("alloc:cap")
                ? List.of("alloc:cap <VM name> <percent>") : List.of());
    }

    @Test
    void aCommandsOwnMessageIsTheSentence() {
        assertEquals("no VM named x", sentence(new InvocationTargetException(new IllegalStateException("no VM named x")),
                "vm:info x"));
    }

    @Test
    void unknownCommandsAreNamedWithoutGogosScopeWildcard() {
        assertEquals("frob: no such command (type help to list the commands)",
                sentence(new CommandNotFoundException("*:frob"), "frob 1 2"));
    }

    @Test
    void argumentsThatFitNoFormOfTheCommandGetItsUsage() {
        assertEquals("alloc:cap: wrong arguments; usage: alloc:cap <VM name> <percent>",
                sentence(new IllegalArgumentException("Cannot coerce cap(Token) to any of [(String, String)]"),
                        "alloc:cap s"));
    }

    @Test
    void unexpectedFailuresSayTheyAreABugWithoutJavaNames() {
        assertEquals("vm:list failed: internal error (a bug in Pogo; start it with POGO_DEBUG=1 for details)",
                sentence(new NullPointerException(), " vm:list "));
    }
}
