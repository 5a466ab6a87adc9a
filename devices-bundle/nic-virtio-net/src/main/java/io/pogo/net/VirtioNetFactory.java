package io.pogo.net;

import io.pogo.api.allocator.LimitedResource;
import io.pogo.api.allocator.RateGate;
import io.pogo.api.allocator.RateLimiters;
import io.pogo.api.device.Device;
import io.pogo.api.device.DeviceContext;
import io.pogo.api.device.DeviceFactory;
import io.pogo.api.device.Placement;
import io.pogo.virtio.DeviceOptions;
import io.pogo.virtio.TransportVersion;
import io.pogo.virtio.VirtioMmio;
import java.util.List;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * Provides {@code virtio-net} in the next virtio-mmio slot, as {@code --nic switch=NAME[,mac=ADDR]
 * [,udp=HOST:PORT,peer=HOST:PORT][,legacy=on]} asks: the NIC joins switch NAME, and with {@code udp}/{@code peer}
 * that switch is also linked to a switch in another Pogo process. Without {@code mac}, the address is derived from
 * the process, switch, VM and NIC number: stable while the process lives, distinct between the processes that share
 * a LAN.
 */
@Component(property = DeviceFactory.TYPE + "=virtio-net")
public final class VirtioNetFactory implements DeviceFactory {

    private static final RateGate UNLIMITED = bytes -> 0;

    private final Switches switches;
    /** The allocator's rate limits; without the allocator bundle, NICs are not limited. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile RateLimiters limits;

    @Activate
    public VirtioNetFactory(@Reference Switches switches) {
        this.switches = switches;
    }

    @Override
    public Placement placement() {
        return new Placement.VirtioSlot();
    }

    @Override
    public Device create(DeviceContext context) {
        DeviceOptions options = DeviceOptions.checked("--nic", context.options(),
                List.of("switch", "mac", "udp", "peer"));
        String switchName = options.required("switch", "NAME");
        String udp = options.get("udp");
        String peer = options.get("peer");
        if ((udp == null) != (peer == null)) {
            throw new IllegalArgumentException("--nic: udp=HOST:PORT and peer=HOST:PORT go together");
        }
        TransportVersion version = options.transport();
        VirtualSwitch network = switches.named(switchName);
        String prefix = context.vmName() + "/eth";
        long sameVm = network.ports().stream().filter(port -> port.describe().startsWith(prefix)).count();
        String name = prefix + sameVm;
        MacAddress mac = options.get("mac") != null ? MacAddress.parse(options.get("mac"))
                : MacAddress.derived(ProcessHandle.current().pid() + "/" + switchName + "/" + name);
        if (udp != null) {
            switches.link(switchName, UdpLink.parse("--nic udp=", udp), UdpLink.parse("--nic peer=", peer));
        }
        RateLimiters current = limits;
        VirtioNet nic = new VirtioNet(mac, network, name,
                current == null ? UNLIMITED : current.gate(context.vmName(), LimitedResource.NET));
        network.attach(nic);
        VirtioMmio transport = new VirtioMmio(context, nic, version);
        nic.notifyConfigChangesTo(transport::configChanged);
        return transport;
    }
}
