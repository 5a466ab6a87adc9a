package io.pogo.dispatcher.shell;

import io.pogo.api.device.DeviceFactory;
import io.pogo.api.device.Placement;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import org.apache.felix.service.command.Descriptor;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/** {@code dev:list}: the device types VMs can ask for, and the bundle that provides each. */
@Component(service = DeviceCommands.class, property = {"osgi.command.scope=dev", "osgi.command.function=list"})
public final class DeviceCommands {

    private record Provider(DeviceFactory factory, Bundle bundle) {
    }

    private final Map<String, Provider> providers = new ConcurrentSkipListMap<>();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindFactory(DeviceFactory factory, ServiceReference<DeviceFactory> reference) {
        providers.put(String.valueOf(reference.getProperty(DeviceFactory.TYPE)),
                new Provider(factory, reference.getBundle()));
    }

    void unbindFactory(DeviceFactory factory, ServiceReference<DeviceFactory> reference) {
        providers.computeIfPresent(String.valueOf(reference.getProperty(DeviceFactory.TYPE)),
                (type, provider) -> provider.factory() == factory ? null : provider);
    }

    @Descriptor("list the device types available and the bundle that provides each")
    public String list() {
        Table table = new Table("TYPE", "PLACEMENT", "BUNDLE");
        providers.forEach((type, provider) -> table.row(type, describe(provider.factory().placement()),
                provider.bundle().getSymbolicName() + " " + provider.bundle().getVersion()));
        return table.toString();
    }

    private static String describe(Placement placement) {
        return switch (placement) {
            case Placement.Fixed(long base, long size, int irq) ->
                    "0x%08x+0x%x".formatted(base, size) + (irq == 0 ? "" : " irq " + irq);
            case Placement.VirtioSlot() -> "virtio-mmio slot";
        };
    }
}
