package io.pogo.gdb;

/** A packet whose arguments do not parse: its reply is an error, and the session goes on. */
final class MalformedPacket extends RuntimeException {
    MalformedPacket(String problem) {
        super(problem, null, false, false);
    }
}
