package io.pogo.api.allocator;

/** The decisions whose policy can be swapped at run time, with the word {@code alloc:use} takes. */
public enum PolicyKind {
    SCHEDULING("sched"),
    MEMORY("memory");

    private final String word;

    PolicyKind(String word) {
        this.word = word;
    }

    public String word() {
        return word;
    }
}
