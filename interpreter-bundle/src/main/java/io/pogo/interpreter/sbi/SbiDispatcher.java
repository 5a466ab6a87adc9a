package io.pogo.interpreter.sbi;

import io.pogo.api.cpu.Exit;
import io.pogo.api.cpu.Hart;
import io.pogo.api.dispatch.ExitRoutine;
import io.pogo.api.dispatch.VmContext;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.osgi.service.component.annotations.Component;

/**
 * SBI 2.0 as the hypercall interface, as KVM offers it to guests: ECALL from supervisor mode with the extension
 * id in a7, the function id in a6 and arguments in a0..a5; the error comes back in a0 and the value in a1.
 */
@Component(property = ExitRoutine.KINDS + "=HYPERCALL")
public final class SbiDispatcher implements ExitRoutine {

    private static final int A0 = 10;
    private static final int A1 = 11;
    private static final int A6 = 16;
    private static final int A7 = 17;
    /**
     * HSM: its calls change the host CPUs a VM holds, so the dispatcher routes them to the allocator, never here;
     * the extension exists all the same.
     */
    static final long HART_STATE_EXTENSION = 0x48_534dL;

    private final Map<Long, SbiExtension> extensions;

    public SbiDispatcher() {
        List<SbiExtension> all = List.of(new TimerExtension(), new IpiExtension(), new RemoteFenceExtension(),
                new SystemResetExtension(), new DebugConsoleExtension());
        Map<Long, SbiExtension> byId = all.stream().collect(Collectors.toMap(SbiExtension::id, Function.identity()));
        BaseExtension base = new BaseExtension(id -> byId.containsKey(id) || id == BaseExtension.ID
                || id == HART_STATE_EXTENSION || LegacyExtensions.handles(id));
        byId.put(base.id(), base);
        this.extensions = Map.copyOf(byId);
    }

    @Override
    public long handle(Exit exit, Hart hart, VmContext vm) {
        long extension = hart.register(A7);
        long[] args = new long[6];
        for (int i = 0; i < args.length; i++) {
            args[i] = hart.register(A0 + i);
        }
        SbiCall call = new SbiCall(hart, vm, (int) hart.register(A6), args);
        if (LegacyExtensions.handles(extension)) {
            hart.setRegister(A0, LegacyExtensions.call(extension, call));
            return 0;
        }
        SbiExtension handler = extensions.get(extension);
        SbiResult result = handler == null ? SbiResult.error(SbiResult.ERR_NOT_SUPPORTED) : handler.call(call);
        hart.setRegister(A0, result.error());
        hart.setRegister(A1, result.value());
        return 0;
    }
}
