package io.pogo.dispatcher.migration;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The migration protocol between two Pogo processes, over one TCP connection (all numbers big-endian):
 * <pre>
 * source                                         target
 * "POGOMIGR", u32 version                 →
 *                                         ←      ACCEPT, or REFUSE and a sentence (a version it does not speak)
 * the VM's configuration                  →
 *                                         ←      ACCEPT (the VM is built, not started), or REFUSE and a sentence
 * PAGES, then pages, while the guest runs →      (as often as the pre-copy has rounds)
 * PAGES (the rest), STATE and the VM's
 * image, with the guest paused            →
 *                                         ←      READY (RAM and state are in place), or REFUSE and a sentence
 * (the source gives up its host resources:
 * flushes and unlocks the VM's disks)
 * GO                                      →
 *                                         ←      STARTED (the target took the resources and the VM runs there), or
 *                                                REFUSE and a sentence (it could not take them; nothing runs there)
 * </pre>
 * Pages go as u32 page number and a kind: ZERO, or DATA followed by the page's 4096 bytes; page number -1 ends
 * them. Until the source sends GO either side may give up and the VM runs on at the source; after GO the target's
 * REFUSE also leaves it to the source, which takes its resources back and runs it on; once the target said
 * STARTED, or when the connection breaks after GO, the source never runs it again by itself.
 *
 * <p>Version 2: the target builds the VM without its host resources and takes them at GO (version 1 locked the
 * disks when it built the VM, so a VM with a writable disk could not migrate).
 */
final class MigrationWire {

    static final byte[] MAGIC = "POGOMIGR".getBytes(StandardCharsets.US_ASCII);
    static final int VERSION = 2;

    static final int ACCEPT = 0;
    static final int REFUSE = 1;
    static final int PAGES = 2;
    static final int STATE = 3;
    static final int READY = 4;
    static final int GO = 5;
    static final int STARTED = 6;

    static final int ZERO_PAGE = 0;
    static final int DATA_PAGE = 1;
    static final int END_OF_PAGES = -1;

    private MigrationWire() {
    }

    static void refuse(DataOutputStream out, String reason) throws IOException {
        out.writeByte(REFUSE);
        out.writeUTF(reason);
        out.flush();
    }

    /**
     * Reads the peer's answer: returns when it is {@code expected}, throws with the peer's own sentence when it
     * refused.
     */
    static void expect(DataInputStream in, int expected, String what) throws IOException {
        int answer = in.readUnsignedByte();
        if (answer == REFUSE) {
            throw new RefusedException(in.readUTF());
        }
        if (answer != expected) {
            throw new IOException("the peer answered " + answer + " where " + what + " was due");
        }
    }

    /** The other side said no, in its own words. */
    static final class RefusedException extends IOException {
        RefusedException(String reason) {
            super(reason);
        }
    }
}
