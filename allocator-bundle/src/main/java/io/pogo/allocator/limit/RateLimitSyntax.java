package io.pogo.allocator.limit;

import io.pogo.api.allocator.RateLimit;
import java.util.Locale;

/**
 * The words of a rate limit: {@code bytes=RATE,ops=RATE[,bytes-burst=N][,ops-burst=N]}, any of them left out
 * meaning 0 (unlimited, no burst). Byte counts take a K, M or G suffix (powers of 1024); {@code off} is no limit.
 */
public final class RateLimitSyntax {

    public static final String FORM = "bytes=RATE,ops=RATE[,bytes-burst=N][,ops-burst=N] or off";

    private RateLimitSyntax() {
    }

    /** @throws IllegalArgumentException naming the word that is wrong */
    public static RateLimit parse(String text) {
        if (text.strip().equals("off")) {
            return RateLimit.UNLIMITED;
        }
        long bytes = 0;
        long bytesBurst = 0;
        long ops = 0;
        long opsBurst = 0;
        for (String pair : text.split(",")) {
            int equals = pair.indexOf('=');
            String key = equals < 0 ? pair.strip() : pair.substring(0, equals).strip();
            String value = equals < 0 ? "" : pair.substring(equals + 1).strip();
            switch (key) {
                case "bytes" -> bytes = count(key, value);
                case "bytes-burst" -> bytesBurst = count(key, value);
                case "ops" -> ops = count(key, value);
                case "ops-burst" -> opsBurst = count(key, value);
                default -> throw new IllegalArgumentException("'" + pair + "' is not part of a limit (" + FORM + ")");
            }
        }
        return new RateLimit(bytes, bytesBurst, ops, opsBurst);
    }

    /** The limit in the words {@link #parse} takes. */
    public static String describe(RateLimit limit) {
        if (limit.equals(RateLimit.UNLIMITED)) {
            return "off";
        }
        return "bytes=%d,ops=%d,bytes-burst=%d,ops-burst=%d".formatted(limit.bytesPerSecond(), limit.opsPerSecond(),
                limit.bytesBurst(), limit.opsBurst());
    }

    private static long count(String key, String text) {
        String value = text.toUpperCase(Locale.ROOT);
        int shift = switch (value.isEmpty() ? ' ' : value.charAt(value.length() - 1)) {
            case 'K' -> 10;
            case 'M' -> 20;
            case 'G' -> 30;
            default -> 0;
        };
        try {
            long number = Long.parseLong(shift == 0 ? value : value.substring(0, value.length() - 1));
            if (number < 0 || number << shift >>> shift != number) {
                throw new NumberFormatException();
            }
            return number << shift;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + "=" + text + ": expected a count such as 100, 512K or 8M");
        }
    }
}
