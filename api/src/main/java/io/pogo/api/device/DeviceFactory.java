package io.pogo.api.device;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Registered as a service with the property {@value #TYPE} by each device bundle. A VM asks for devices by type;
 * a bundle that registers a new type makes it available to VMs created afterwards.
 */
@ConsumerType
public interface DeviceFactory {

    /** Service property naming the device type, for example {@code ns16550a}. */
    String TYPE = "device.type";

    /** Where on the board the device goes; the allocator turns this into a window and an IRQ line. */
    Placement placement();

    /**
     * Builds a device for one VM.
     *
     * @throws IllegalArgumentException with a one-line message when the options are wrong
     */
    Device create(DeviceContext context);
}
