package io.pogo.dispatcher.shell;

import io.pogo.api.cpu.ExitKind;
import io.pogo.api.vm.VmInfo;
import io.pogo.api.vm.VmManager;
import java.util.List;
import java.util.Map;
import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code dispatch:stats}: exits handled per kind, per VM. */
@Component(service = DispatchCommands.class,
        property = {"osgi.command.scope=dispatch", "osgi.command.function=stats"})
public final class DispatchCommands {

    @Reference
    private VmManager vms;

    @Descriptor("exit counts per kind for every VM")
    public String stats() {
        return table(vms.list().stream().map(VmInfo::name).toList());
    }

    @Descriptor("exit counts per kind for one VM")
    public String stats(@Descriptor("VM name") String name) {
        return table(List.of(name));
    }

    private String table(List<String> names) {
        Table table = new Table("VM", "EXIT", "COUNT");
        for (String name : names) {
            Map<ExitKind, Long> counts = vms.exitCounts(name);
            counts.forEach((kind, count) -> table.row(name, kind, count));
            table.row(name, "total", counts.values().stream().mapToLong(Long::longValue).sum());
        }
        return table.toString();
    }
}
