package io.pogo.dispatcher.shell;

import io.pogo.api.cpu.ExitKind;
import io.pogo.api.vm.VmInfo;
import io.pogo.api.vm.VmManager;
import io.pogo.dispatcher.vm.RoutingTable;
import java.util.List;
import java.util.Map;
import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code dispatch:routes}: which bundle and routine handle each exit kind; {@code dispatch:stats}: exits handled
 * per kind and per handling bundle, per VM.
 */
@Component(service = DispatchCommands.class, property = {"osgi.command.scope=dispatch",
        "osgi.command.function=stats", "osgi.command.function=routes"})
public final class DispatchCommands {

    @Reference
    private VmManager vms;
    @Reference
    private RoutingTable routing;

    @Descriptor("each exit kind with the bundle and routine that handle it now")
    public String routes() {
        Table table = new Table("EXIT", "BUNDLE", "ROUTINE");
        routing.routes().forEach((kind, route) -> table.row(kind,
                route == null ? "-" : route.bundle(), route == null ? "(none)" : route.name()));
        return table.toString();
    }

    @Descriptor("exit counts per kind and handling bundle for every VM")
    public String stats() {
        return table(vms.list().stream().map(VmInfo::name).toList());
    }

    @Descriptor("exit counts per kind and handling bundle for one VM")
    public String stats(@Descriptor("VM name") String name) {
        return table(List.of(name));
    }

    private String table(List<String> names) {
        Table table = new Table("VM", "EXIT", "HANDLED BY", "COUNT");
        for (String name : names) {
            Map<ExitKind, Long> counts = vms.exitCounts(name);
            Map<ExitKind, Map<String, Long>> byHandler = vms.exitsByHandler(name);
            counts.forEach((kind, count) -> {
                Map<String, Long> handlers = byHandler.getOrDefault(kind, Map.of());
                if (handlers.isEmpty()) {
                    table.row(name, kind, "-", count);
                }
                handlers.forEach((bundle, handled) -> table.row(name, kind, bundle, handled));
            });
            table.row(name, "total", "", counts.values().stream().mapToLong(Long::longValue).sum());
        }
        return table.toString();
    }
}
