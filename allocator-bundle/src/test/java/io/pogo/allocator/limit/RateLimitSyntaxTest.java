package io.pogo.allocator.limit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.pogo.api.allocator.RateLimit;
import org.junit.jupiter.api.Test;

class RateLimitSyntaxTest {

    @Test
    void readsRatesBurstsAndSizes() {
        assertEquals(new RateLimit(2 << 20, 512 << 10, 100, 10),
                RateLimitSyntax.parse("bytes=2M,ops=100,bytes-burst=512K,ops-burst=10"));
        assertEquals(new RateLimit(4096, 0, 0, 0), RateLimitSyntax.parse("bytes=4096"));
        assertEquals(RateLimit.UNLIMITED, RateLimitSyntax.parse("off"));
        RateLimit limit = new RateLimit(1, 2, 3, 4);
        assertEquals(limit, RateLimitSyntax.parse(RateLimitSyntax.describe(limit)));
    }

    @Test
    void badWordsAreNamed() {
        assertEquals("'speed=3' is not part of a limit (" + RateLimitSyntax.FORM + ")",
                assertThrows(IllegalArgumentException.class, () -> RateLimitSyntax.parse("speed=3")).getMessage());
        assertEquals("bytes=-1: expected a count such as 100, 512K or 8M",
                assertThrows(IllegalArgumentException.class, () -> RateLimitSyntax.parse("bytes=-1")).getMessage());
        assertEquals("ops=many: expected a count such as 100, 512K or 8M",
                assertThrows(IllegalArgumentException.class, () -> RateLimitSyntax.parse("ops=many")).getMessage());
    }
}
