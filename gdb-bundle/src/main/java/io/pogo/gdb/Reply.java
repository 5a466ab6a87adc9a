package io.pogo.gdb;

/** What the session does after a packet. */
sealed interface Reply {

    /** Sends {@code payload}. */
    record Text(String payload) implements Reply {
    }

    /** Sends binary data (qXfer), escaped. */
    record Binary(byte[] payload) implements Reply {
    }

    /** The harts run: the reply is the stop reply, once they stop. */
    record Resumed() implements Reply {
    }

    /** Sends "OK", lets go of the VM and closes the connection. */
    record Detach() implements Reply {
    }

    /** Ends the VM and closes the connection, after sending {@code payload} (vKill) or nothing ('k'). */
    record Kill(String payload) implements Reply {
    }
}
