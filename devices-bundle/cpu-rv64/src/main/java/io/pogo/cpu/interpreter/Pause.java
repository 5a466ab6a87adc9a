package io.pogo.cpu.interpreter;

/**
 * PAUSE (Zihintpause), the hint a guest runs in each turn of a spin loop: the hart gives its host CPU to the other
 * runnable threads for a moment, as KVM's pause-loop exiting does. A hart spinning at full speed keeps a host core
 * from the hart that holds the lock it waits for, whose thread the host may have preempted, and from the JVM's
 * compiler threads: on 2 host cores, a Linux boot on 2 harts spent four fifths of its guest instructions spinning in
 * do_raw_spin_lock.
 */
public final class Pause {
    private Pause() {
    }

    public static void hint() {
        Thread.yield();
    }
}
