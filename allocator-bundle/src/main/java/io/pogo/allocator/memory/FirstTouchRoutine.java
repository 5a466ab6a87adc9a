package io.pogo.allocator.memory;

import io.pogo.api.cpu.Exit;
import io.pogo.api.cpu.Hart;
import io.pogo.api.dispatch.ExitRoutine;
import io.pogo.api.dispatch.VmContext;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The first touch of a chunk of guest RAM that has no host memory behind it: the broker backs it within the VM's
 * cap and the host budget (1: the access goes ahead), or pauses the VM with the reason (0: the access waits).
 */
@Component(property = ExitRoutine.KINDS + "=UNBACKED_MEMORY")
public final class FirstTouchRoutine implements ExitRoutine {

    @Reference
    private MemoryBroker broker;

    @Override
    public long handle(Exit exit, Hart hart, VmContext vm) {
        return broker.firstTouch(vm, exit.address()) ? 1 : 0;
    }
}
