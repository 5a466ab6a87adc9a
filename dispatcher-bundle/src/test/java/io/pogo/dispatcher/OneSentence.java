package io.pogo.dispatcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.regex.Pattern;

/** What a user may be told about bad input: one line, no Java class names, no stack traces. */
public final class OneSentence {

    /** A qualified class name (java.nio...) or a simple one that ends as exceptions and errors do. */
    private static final Pattern CLASS_NAME =
            Pattern.compile("\\b(java|javax|jdk|sun|io\\.pogo|picocli)\\.[a-z]|\\b[A-Z]\\w*(Exception|Error)\\b");

    private OneSentence() {
    }

    public static void assertOneSentence(String message) {
        assertNotNull(message, "a message");
        assertEquals(1, message.lines().count(), message);
        assertFalse(message.isBlank(), "a message with words in it");
        assertFalse(CLASS_NAME.matcher(message).find(), "a Java class name in: " + message);
    }
}
