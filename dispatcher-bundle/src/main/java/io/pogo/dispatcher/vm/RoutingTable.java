package io.pogo.dispatcher.vm;

import io.pogo.api.cpu.ExitKind;
import io.pogo.api.dispatch.ExitRoutine;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Which routine handles each exit kind. Routines come and go with their bundles; the one registered last for a
 * kind wins, and when it leaves the previous one takes over. Read on every exit, so reads are a plain array load.
 */
public final class RoutingTable {

    private final AtomicReferenceArray<ExitRoutine> active = new AtomicReferenceArray<>(ExitKind.values().length);
    private final Map<ExitKind, List<ExitRoutine>> candidates = new EnumMap<>(ExitKind.class);

    public synchronized void route(ExitKind kind, ExitRoutine routine) {
        candidates.computeIfAbsent(kind, k -> new ArrayList<>()).add(routine);
        active.setRelease(kind.ordinal(), routine);
    }

    public synchronized void unroute(ExitKind kind, ExitRoutine routine) {
        List<ExitRoutine> routines = candidates.getOrDefault(kind, List.of());
        routines.remove(routine);
        active.setRelease(kind.ordinal(), routines.isEmpty() ? null : routines.getLast());
    }

    ExitRoutine routine(ExitKind kind) {
        return active.getAcquire(kind.ordinal());
    }
}
