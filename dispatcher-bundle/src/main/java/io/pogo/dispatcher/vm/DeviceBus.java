package io.pogo.dispatcher.vm;

import io.pogo.api.device.MmioDevice;
import io.pogo.api.device.MmioWindow;
import io.pogo.api.dispatch.MmioBus;
import java.util.ArrayList;
import java.util.List;

/** The VM's MMIO map; filled while the VM is assembled, read-only once it runs. */
public final class DeviceBus implements MmioBus {

    private final List<Mapping> mappings = new ArrayList<>();
    private Mapping[] lookupTable = new Mapping[0];

    void map(MmioWindow window, MmioDevice device) {
        mappings.add(new Mapping(window, device));
        lookupTable = mappings.toArray(Mapping[]::new);
    }

    @Override
    public Mapping lookup(long address, int size) {
        for (Mapping mapping : lookupTable) {
            long offset = address - mapping.window().base();
            if (offset >= 0 && offset + size <= mapping.window().size()) {
                return mapping;
            }
        }
        return null;
    }
}
