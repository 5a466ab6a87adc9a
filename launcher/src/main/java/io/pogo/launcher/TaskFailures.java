package io.pogo.launcher;

import java.util.concurrent.ExecutionException;

/** What the launcher's tasks on other threads threw, for the thread that waits for them. */
final class TaskFailures {

    private TaskFailures() {
    }

    /**
     * Throws the task's failure again as it was thrown, when it is unchecked; returns for a checked one, which the
     * caller wraps as its own contract says.
     */
    static void rethrowUnchecked(ExecutionException failure) {
        switch (failure.getCause()) {
            case RuntimeException unchecked -> throw unchecked;
            case Error error -> throw error;
            default -> {
            }
        }
    }
}
