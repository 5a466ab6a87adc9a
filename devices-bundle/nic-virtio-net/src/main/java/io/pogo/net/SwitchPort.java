package io.pogo.net;

/** Something plugged into a virtual switch: a VM's NIC or a link to a switch elsewhere. */
interface SwitchPort {

    /** How {@code net:switches} shows the port. */
    String describe();

    /** A frame the switch forwards to this port. Called on the sender's thread; must not block for long. */
    void deliver(byte[] frame);
}
