package io.pogo.platform;

import io.pogo.api.cpu.Interrupt;
import io.pogo.api.device.HartInterrupts;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

/** Harts whose interrupt inputs a test can look at. */
final class RecordingHarts implements HartInterrupts {

    private final List<Set<Interrupt>> pending;

    RecordingHarts(int harts) {
        pending = IntStream.range(0, harts).mapToObj(hart -> (Set<Interrupt>) EnumSet.noneOf(Interrupt.class))
                .toList();
    }

    @Override
    public int hartCount() {
        return pending.size();
    }

    @Override
    public void setPending(int hartId, Interrupt interrupt, boolean isPending) {
        if (isPending) {
            pending.get(hartId).add(interrupt);
        } else {
            pending.get(hartId).remove(interrupt);
        }
    }

    boolean isPending(int hartId, Interrupt interrupt) {
        return pending.get(hartId).contains(interrupt);
    }
}
