package io.pogo.interpreter.mmio;

import io.pogo.api.cpu.ExceptionCause;
import io.pogo.api.cpu.Exit;
import io.pogo.api.cpu.ExitKind;
import io.pogo.api.cpu.Hart;
import io.pogo.api.dispatch.ExitRoutine;
import io.pogo.api.dispatch.MmioBus;
import io.pogo.api.dispatch.VmContext;
import org.osgi.service.component.annotations.Component;

/**
 * Forwards loads and stores outside RAM to the device that owns the address; unmapped addresses raise an access
 * fault, whose trap value the CPU replaces with the virtual address the guest used.
 */
@Component(property = {ExitRoutine.KINDS + "=MMIO_LOAD", ExitRoutine.KINDS + "=MMIO_STORE"})
public final class MmioForwarding implements ExitRoutine {

    @Override
    public long handle(Exit exit, Hart hart, VmContext vm) {
        boolean load = exit.kind() == ExitKind.MMIO_LOAD;
        MmioBus.Mapping mapping = vm.bus().lookup(exit.address(), exit.size());
        if (mapping == null) {
            hart.raiseException(load ? ExceptionCause.LOAD_ACCESS_FAULT : ExceptionCause.STORE_ACCESS_FAULT,
                    exit.address());
            return 0;
        }
        long offset = exit.address() - mapping.window().base();
        if (load) {
            return mapping.device().read(offset, exit.size());
        }
        mapping.device().write(offset, exit.size(), exit.value());
        return 0;
    }
}
