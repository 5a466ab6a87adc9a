package io.pogo.dispatcher.vm;

import io.pogo.api.cpu.Interrupt;
import java.util.List;

/**
 * The VM's timebase in a snapshot: the tick it stood at, and the timers armed then, whose deadlines are on the same
 * timebase. A restored VM's time runs on from that tick, so its timers fire as far ahead as they would have.
 */
public record TimebaseState(long ticks, List<ArmedTimer> timers) {

    public TimebaseState {
        timers = List.copyOf(timers);
    }

    public record ArmedTimer(int hartId, Interrupt interrupt, long deadline) {
    }
}
