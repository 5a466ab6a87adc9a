package io.pogo.dispatcher.shell;

/** Byte counts for people: 128M, 1.5G. */
final class Sizes {

    private Sizes() {
    }

    static String human(long bytes) {
        String[] units = {"", "K", "M", "G", "T"};
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return value == Math.rint(value) ? "%d%s".formatted((long) value, units[unit])
                : "%.1f%s".formatted(value, units[unit]);
    }
}
