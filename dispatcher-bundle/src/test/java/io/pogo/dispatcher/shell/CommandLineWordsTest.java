package io.pogo.dispatcher.shell;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class CommandLineWordsTest {

    @Test
    void splitsOnWhitespaceAndKeepsQuotedTextTogether() {
        assertArrayEquals(new String[] {"--kernel", "a b.elf", "--append", "console=ttyS0 quiet", "", "x'y"},
                CommandLineWords.split("  --kernel 'a b.elf' --append \"console=ttyS0 quiet\" '' \"x'y\"  "));
        assertArrayEquals(new String[0], CommandLineWords.split("   "));
    }

    @Test
    void unbalancedQuotesAreAnError() {
        assertThrows(IllegalArgumentException.class, () -> CommandLineWords.split("--append 'oops"));
    }
}
