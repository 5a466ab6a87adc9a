package io.pogo.cpu;

import io.pogo.api.cpu.ExitHandler;
import io.pogo.api.cpu.HartConfig;
import io.pogo.api.cpu.VCpu;
import io.pogo.api.cpu.VCpuFactory;
import io.pogo.api.memory.GuestMemory;
import org.osgi.service.component.annotations.Component;

import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

/** The CPU bundle's service: RV64GC harts. Harts on the same guest memory share its atomics (one VM). */
@Component(service = VCpuFactory.class)
public final class Rv64VCpuFactory implements VCpuFactory {
    private final Map<GuestMemory, AtomicMemory> atomicsByMemory = Collections.synchronizedMap(new WeakHashMap<>());

    @Override
    public String isa() {
        return "rv64imafdc_zicsr_zifencei_zicntr_zihintpause_zba_zbb_zbc_zbs_sstc";
    }

    @Override
    public VCpu create(HartConfig config, GuestMemory memory, ExitHandler exits, Runnable wakeup) {
        AtomicMemory atomics = atomicsByMemory.computeIfAbsent(memory, bank -> new AtomicMemory(bank.segment()));
        return new Rv64VCpu(config, memory, atomics, exits, wakeup);
    }
}
