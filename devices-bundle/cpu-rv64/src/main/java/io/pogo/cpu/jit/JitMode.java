package io.pogo.cpu.jit;

import java.util.Locale;

/**
 * When the JIT tier compiles a block's region, from the framework or system property {@value #PROPERTY}: {@code on}
 * (the default) once the block is hot, on the background compiler's thread while the vCPU interprets on;
 * {@code eager} at its first execution, on the vCPU's thread before the block runs again; {@code off} never. The
 * interpreter is the reference the JIT is checked against, so tests run guests both ways and compare.
 */
public enum JitMode {
    OFF(0),
    EAGER(1),
    ON(RegionCompiler.THRESHOLD);

    public static final String PROPERTY = "pogo.jit";

    /** Interpreted executions of a block before its region is compiled; 0 for never. */
    public final int threshold;

    JitMode(int threshold) {
        this.threshold = threshold;
    }

    /** The mode a property value names, {@code on} if none; anything else is refused in one sentence. */
    public static JitMode parse(String value) {
        if (value == null) {
            return ON;
        }
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "on" -> ON;
            case "eager" -> EAGER;
            case "off" -> OFF;
            default -> throw new IllegalArgumentException(PROPERTY + "=" + value + ": expected on, eager or off");
        };
    }
}
