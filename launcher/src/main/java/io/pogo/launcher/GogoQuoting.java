package io.pogo.launcher;

/** Turns a command and its arguments into one Gogo command line that passes every argument through unchanged. */
final class GogoQuoting {

    private GogoQuoting() {
    }

    static String command(String name, String... args) {
        StringBuilder line = new StringBuilder(name);
        for (String arg : args) {
            line.append(' ').append(quote(arg));
        }
        return line.toString();
    }

    /** Double quotes, with Gogo's specials escaped: backslash, double quote, dollar (variable expansion). */
    static String quote(String arg) {
        StringBuilder quoted = new StringBuilder("\"");
        for (char c : arg.toCharArray()) {
            if (c == '\\' || c == '"' || c == '$') {
                quoted.append('\\');
            }
            quoted.append(c);
        }
        return quoted.append('"').toString();
    }
}
