package io.pogo.api.allocator;

/**
 * The I/O a VM's rate limits apply to, with the word {@code alloc:limit} takes.
 *
 * @since 1.3
 */
public enum LimitedResource {
    DISK("disk"),
    NET("net");

    private final String word;

    LimitedResource(String word) {
        this.word = word;
    }

    public String word() {
        return word;
    }
}
