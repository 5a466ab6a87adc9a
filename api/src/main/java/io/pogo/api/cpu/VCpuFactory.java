package io.pogo.api.cpu;

import io.pogo.api.memory.GuestMemory;
import org.osgi.annotation.versioning.ProviderType;

/** Service of the CPU bundle: builds vCPUs of one instruction set. */
@ProviderType
public interface VCpuFactory {

    /** The ISA string reported in the device tree, for example {@code rv64imafdc_zicsr_zifencei}. */
    String isa();

    /**
     * @param wakeup called (from any thread) when an interrupt becomes pending that ends a WFI wait
     */
    VCpu create(HartConfig config, GuestMemory memory, ExitHandler exits, Runnable wakeup);
}
