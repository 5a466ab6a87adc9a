package io.pogo.dispatcher.snapshot;

import io.pogo.api.dispatch.HartStatus;
import io.pogo.api.vm.VmConfig;
import io.pogo.dispatcher.vm.TimebaseState;
import java.util.List;

/**
 * Everything a snapshot holds but guest RAM: the configuration the VM is built again from, its timebase, each hart
 * and each device, in board order.
 */
public record VmImage(VmConfig config, TimebaseState timebase, List<HartImage> harts, List<DeviceImage> devices) {

    public VmImage {
        harts = List.copyOf(harts);
        devices = List.copyOf(devices);
    }

    /** A hart: started or stopped (SBI HSM), and its vCPU's state. */
    public record HartImage(HartStatus status, StateRecord state) {
    }

    /** A device: its type and window base, which the rebuilt board must match, and its state. */
    public record DeviceImage(String type, long base, StateRecord state) {
    }
}
