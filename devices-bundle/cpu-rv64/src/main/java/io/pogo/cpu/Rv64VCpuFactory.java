package io.pogo.cpu;

import io.pogo.api.cpu.ExitHandler;
import io.pogo.api.cpu.HartConfig;
import io.pogo.api.cpu.VCpu;
import io.pogo.api.cpu.VCpuFactory;
import io.pogo.api.memory.GuestMemory;
import org.osgi.service.component.annotations.Component;

/** The CPU bundle's service: RV64GC harts. */
@Component(service = VCpuFactory.class)
public final class Rv64VCpuFactory implements VCpuFactory {
    @Override
    public String isa() {
        return "rv64imafdc_zicsr_zifencei";
    }

    @Override
    public VCpu create(HartConfig config, GuestMemory memory, ExitHandler exits, Runnable wakeup) {
        return new Rv64VCpu(config, memory, exits, wakeup);
    }
}
