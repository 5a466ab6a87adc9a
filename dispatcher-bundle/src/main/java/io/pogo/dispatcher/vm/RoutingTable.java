package io.pogo.dispatcher.vm;

import io.pogo.api.cpu.ExitKind;
import io.pogo.api.dispatch.ExitRoutine;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * Which routine handles each exit kind, and which bundle it came from. Routines come and go with their bundles;
 * the one registered last for a kind wins, and when it leaves the previous one takes over. Read on every exit, so
 * reads are a plain array load.
 */
@Component(service = RoutingTable.class)
public final class RoutingTable {

    /**
     * The most bundles whose exits are counted apart ({@code dispatch:stats}); routines of further bundles are
     * counted with the last one.
     */
    static final int MAX_HANDLERS = 16;

    /**
     * A routine as the dispatcher knows it: the bundle (symbolic name) that registered it, the routine's name, and
     * the index its handled exits are counted under.
     */
    public record Route(ExitRoutine routine, String bundle, String name, int handler) {
    }

    private final AtomicReferenceArray<Route> active = new AtomicReferenceArray<>(ExitKind.values().length);
    private final Map<ExitKind, List<Route>> candidates = new EnumMap<>(ExitKind.class);
    /** Bundles that ever registered a routine, by handler index; never shrinks, so counts keep their meaning. */
    private final List<String> handlers = new CopyOnWriteArrayList<>();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindRoutine(ExitRoutine routine, ServiceReference<ExitRoutine> reference) {
        String bundle = reference.getBundle().getSymbolicName();
        kinds(reference).forEach(kind -> route(kind, routine, bundle, routine.getClass().getSimpleName()));
    }

    void unbindRoutine(ExitRoutine routine, ServiceReference<ExitRoutine> reference) {
        kinds(reference).forEach(kind -> unroute(kind, routine));
    }

    /** Where {@code kind} goes from now on: DS calls it for each registered routine, a benchmark without OSGi. */
    public synchronized void route(ExitKind kind, ExitRoutine routine, String bundle, String name) {
        if (!handlers.contains(bundle) && handlers.size() < MAX_HANDLERS) {
            handlers.add(bundle);
        }
        int handler = handlers.contains(bundle) ? handlers.indexOf(bundle) : MAX_HANDLERS - 1;
        Route route = new Route(routine, bundle, name, handler);
        candidates.computeIfAbsent(kind, k -> new ArrayList<>()).add(route);
        active.setRelease(kind.ordinal(), route);
    }

    synchronized void unroute(ExitKind kind, ExitRoutine routine) {
        List<Route> routes = candidates.getOrDefault(kind, List.of());
        routes.removeIf(route -> route.routine() == routine);
        active.setRelease(kind.ordinal(), routes.isEmpty() ? null : routes.getLast());
    }

    /** The route that handles {@code kind} now, or null when no routine does. */
    Route route(ExitKind kind) {
        return active.getAcquire(kind.ordinal());
    }

    /** Every exit kind with the route that handles it now, or null for a kind no routine handles. */
    public Map<ExitKind, Route> routes() {
        Map<ExitKind, Route> routes = new EnumMap<>(ExitKind.class);
        for (ExitKind kind : ExitKind.values()) {
            routes.put(kind, route(kind));
        }
        return routes;
    }

    /** The bundle whose exits are counted under {@code handler}. */
    String handler(int handler) {
        return handlers.get(handler);
    }

    private static List<ExitKind> kinds(ServiceReference<ExitRoutine> reference) {
        List<ExitKind> kinds = new ArrayList<>();
        Object value = reference.getProperty(ExitRoutine.KINDS);
        Object[] names = value instanceof Object[] array ? array : new Object[] {value};
        for (Object name : names) {
            kinds.add(ExitKind.valueOf(String.valueOf(name)));
        }
        return kinds;
    }
}
