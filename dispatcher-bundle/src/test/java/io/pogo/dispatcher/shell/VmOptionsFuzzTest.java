package io.pogo.dispatcher.shell;

import static io.pogo.dispatcher.OneSentence.assertOneSentence;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pogo.dispatcher.FuzzSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AddLifecycleHook;

/**
 * The options of {@code pogo run} and of VM definition files, from random lists of words: known and unknown
 * options, values of every shape (empty, huge, negative, non-ASCII, control characters, quotes, commas). They are
 * accepted, or refused in one sentence that names the option or the word at fault.
 */
@AddLifecycleHook(FuzzSettings.class)
class VmOptionsFuzzTest {

    private static final Path DIRECTORY = Path.of("/work/vms");
    private static final List<String> OPTIONS = List.of("--name", "--smp", "--mem", "--bios", "--kernel", "--initrd",
            "--append", "--drive", "--nic", "--device");

    @Property(tries = 300)
    void commandLinesAreAcceptedOrRefusedInOneSentenceNamingTheCulprit(@ForAll("commandLines") List<String> words) {
        assertParsedOrRefused(words);
    }

    /** A definition file's {@code options} line goes through the same splitting a shell would do, then the parser. */
    @Property(tries = 300)
    void definitionOptionLinesAreAcceptedOrRefusedInOneSentence(@ForAll("optionLines") String line) {
        String[] words;
        try {
            words = CommandLineWords.split(line);
        } catch (IllegalArgumentException refused) {
            assertOneSentence(refused.getMessage());
            return;
        }
        assertParsedOrRefused(List.of(words));
    }

    /** What the properties found first: each message once carried a class name or broke over lines. */
    @Example
    void nulInAFileNameIsOneSentenceNamingTheOption() {
        for (String option : List.of("--kernel", "--initrd", "--bios")) {
            List<String> words = new ArrayList<>(List.of(option, "a\0b"));
            if (!option.equals("--kernel")) {
                words.addAll(List.of("--kernel", "guest.elf"));
            }
            assertEquals(option + ": not a usable file name (Nul character not allowed)",
                    assertThrows(IllegalArgumentException.class,
                            () -> VmOptions.parse(DIRECTORY, "fuzz", words.toArray(String[]::new))).getMessage());
        }
    }

    @Example
    void lineBreaksInTheWordsAtFaultComeBackOnOneLine() {
        assertEquals("Unmatched argument at index 2: 'a b'", assertThrows(IllegalArgumentException.class,
                () -> VmOptions.parse(DIRECTORY, "fuzz", "--kernel", "k", "a\nb")).getMessage());
        assertEquals("--mem 1 G: expected a size such as 512M or 2G", assertThrows(IllegalArgumentException.class,
                () -> VmOptions.parse(DIRECTORY, "fuzz", "--kernel", "k", "--mem", "1\r\nG")).getMessage());
        assertEquals("unbalanced ' in: --append 'x  y", assertThrows(IllegalArgumentException.class,
                () -> CommandLineWords.split("--append 'x\n\ny")).getMessage());
    }

    private static void assertParsedOrRefused(List<String> words) {
        try {
            VmOptions.parse(DIRECTORY, "fuzz", words.toArray(String[]::new));
        } catch (IllegalArgumentException refused) {
            String message = refused.getMessage();
            assertOneSentence(message);
            assertTrue(OPTIONS.stream().anyMatch(message::contains)
                    || words.stream().map(word -> word.replaceAll("\\R", " ")).anyMatch(word ->
                            message.contains("'" + word + "'") || !word.isBlank() && message.contains(word.strip())),
                    "names neither an option nor a word of " + words + ": " + message);
        }
    }

    @Provide
    Arbitrary<List<String>> commandLines() {
        Arbitrary<List<String>> pair = Combinators.combine(option(), value()).as(List::of);
        Arbitrary<List<String>> joined = Combinators.combine(option(), value()).as((name, value) -> List.of(name + "=" + value));
        Arbitrary<List<String>> alone = Arbitraries.oneOf(option(), value()).map(List::of);
        Arbitrary<List<String>> kernel = Arbitraries.just(List.of("--kernel", "guest.elf"));
        return Arbitraries.frequencyOf(Tuple.of(6, pair), Tuple.of(2, joined), Tuple.of(2, alone), Tuple.of(2, kernel))
                .list().ofMaxSize(8).map(groups -> {
                    List<String> words = new ArrayList<>();
                    groups.forEach(words::addAll);
                    return words;
                });
    }

    @Provide
    Arbitrary<String> optionLines() {
        Arbitrary<String> quoted = value().map(value -> "'" + value + "'");
        Arbitrary<String> doubleQuoted = value().map(value -> "\"" + value + "\"");
        Arbitrary<String> word = Arbitraries.frequencyOf(Tuple.of(4, option()), Tuple.of(4, value()),
                Tuple.of(1, quoted), Tuple.of(1, doubleQuoted), Tuple.of(1, Arbitraries.of("'", "\"", "\\", "\t", "\n")));
        return word.list().ofMaxSize(12).map(words -> String.join(" ", words));
    }

    private static Arbitrary<String> option() {
        return Arbitraries.frequencyOf(Tuple.of(8, Arbitraries.of(OPTIONS)),
                Tuple.of(1, Arbitraries.of("--", "-", "--frobnicate", "-smp", "--Kernel", "---mem", "--help", "-h")),
                Tuple.of(1, Arbitraries.strings().ofMaxLength(12).map(name -> "--" + name)));
    }

    private static Arbitrary<String> value() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.of("", " ", "0", "-1", "1", "2", "64", "128M", "2G", "99999999999", "9T",
                        "-5M", "0x10", "1.5G", "K", "builtin", "none", "guest.elf", "file=disk.img",
                        "file=disk.img,readonly=on", "file=", "=x", ",", "a,,b", "switch=lan0", "virtio-rng",
                        ",seed=1", "virtio-rng,seed", "readonly=on,file=x", "console=ttyS0 quiet", "512\nM", "file=a\r\nb", "lan\u2028")),
                Tuple.of(2, Arbitraries.strings().ofMaxLength(20)),
                Tuple.of(1, Arbitraries.strings().all().ofMaxLength(20)),
                Tuple.of(1, Arbitraries.strings().withChars('a', ',', '=', '-', '\0', ' ', '\'', '"').ofMaxLength(70_000)));
    }
}
