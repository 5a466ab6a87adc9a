package io.pogo.api.vm;

import io.pogo.api.cpu.Hart;
import io.pogo.api.cpu.HartDebug;
import io.pogo.api.memory.GuestMemory;
import java.util.List;
import java.util.Map;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A debugger's hold on one VM, from {@link VmManager#debug}. Harts stop for the debugger at instruction boundaries,
 * all together (all-stop, as QEMU's gdbstub): when one hart hits a breakpoint or a watchpoint or ends a step, every
 * other hart stops too, and the VM's time stands still until a hart continues. While stopped, the debugger reads and
 * writes the harts' state and memory; harts it does not resume stay stopped. A VM not started yet can be held: its
 * harts then execute nothing until resumed.
 *
 * @since 1.2
 */
@ProviderType
public interface VmDebug extends AutoCloseable {

    /** The VM's harts by hart id: registers, CSRs, the trigger module. Change them only while stopped. */
    List<Hart> harts();

    /** Breakpoints, steps and address translation of hart {@code hartId}. */
    HartDebug hart(int hartId);

    /** The VM's RAM. */
    GuestMemory memory();

    /** Whether every hart is stopped for the debugger. */
    boolean isStopped();

    /**
     * Stops every hart at an instruction boundary (the debugger's Ctrl-C) and returns once they are; the listener
     * hears {@link DebugEvent.Interrupted}, or the event of a hart that stopped on its own meanwhile. Does nothing
     * when the harts are already stopped.
     */
    void stop();

    /**
     * Lets the harts in {@code runs} continue or step; the others stay stopped.
     *
     * @throws IllegalStateException when the harts are not stopped
     * @throws IllegalArgumentException when {@code runs} names no hart, or one the VM does not have
     */
    void resume(Map<Integer, HartRun> runs);

    /**
     * Lets go of the VM: every hart runs on, the breakpoints and the triggers of the debugger are removed, and the
     * listener hears nothing more.
     */
    @Override
    void close();
}
