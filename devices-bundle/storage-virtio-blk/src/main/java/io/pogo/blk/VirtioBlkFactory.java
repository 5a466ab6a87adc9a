package io.pogo.blk;

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
import java.nio.file.Path;
import java.util.List;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * Provides {@code virtio-blk} in the next virtio-mmio slot, as {@code --drive file=PATH[,readonly=on][,legacy=on]}
 * asks. A relative path is resolved against the process's working directory.
 */
@Component(property = DeviceFactory.TYPE + "=virtio-blk")
public final class VirtioBlkFactory implements DeviceFactory {

    private static final RateGate UNLIMITED = bytes -> 0;

    /** The allocator's rate limits; without the allocator bundle, disks are not limited. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile RateLimiters limits;

    @Override
    public Placement placement() {
        return new Placement.VirtioSlot();
    }

    @Override
    public Device create(DeviceContext context) {
        DeviceOptions options = DeviceOptions.checked("--drive", context.options(), List.of("file", "readonly"));
        String file = options.required("file", "PATH");
        boolean readOnly = options.flag("readonly", false);
        TransportVersion version = options.transport();
        DiskImage image = DiskImage.open(Path.of(file).toAbsolutePath(), readOnly);
        RateLimiters current = limits;
        RateGate gate = current == null ? UNLIMITED : current.gate(context.vmName(), LimitedResource.DISK);
        return new VirtioMmio(context, new VirtioBlk(image, gate), version);
    }
}
