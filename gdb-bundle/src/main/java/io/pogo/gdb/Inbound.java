package io.pogo.gdb;

/** What arrives from gdb, framed: a packet, an interrupt, an acknowledgement, or a frame that has to be resent. */
sealed interface Inbound {

    /** A packet whose checksum matched; {@code payload} as sent, binary escapes still in it. */
    record Packet(byte[] payload) implements Inbound {
    }

    /** Ctrl-C: byte 0x03 outside a packet. */
    record Interrupt() implements Inbound {
    }

    /** '+': the last reply arrived. */
    record Ack() implements Inbound {
    }

    /** '-': the last reply arrived damaged and is to be sent again. */
    record Nak() implements Inbound {
    }

    /** A packet with a wrong checksum or longer than a packet may be: gdb is to send it again ('-'). */
    record Damaged(String why) implements Inbound {
    }
}
