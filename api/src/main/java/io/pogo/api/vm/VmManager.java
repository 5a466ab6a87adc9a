package io.pogo.api.vm;

import io.pogo.api.cpu.CodeCacheStats;
import io.pogo.api.cpu.ExitKind;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The monitor's front door. Operations on an unknown VM or in a state that does not allow them throw
 * {@link IllegalStateException}; bad configuration throws {@link IllegalArgumentException} and creates nothing.
 * Messages are one line, fit for a user.
 */
@ProviderType
public interface VmManager {

    VmInfo create(VmConfig config);

    void start(String name);

    void pause(String name);

    void resume(String name);

    /** Stops the VM and releases its resources; a stopped VM keeps its info and console transcript. */
    void stop(String name);

    /** Stops the VM if it still runs, then forgets it (its info and console transcript go too). */
    void destroy(String name);

    List<VmInfo> list();

    Optional<VmInfo> info(String name);

    VmConsole console(String name);

    /** The flattened device tree (DTB) that describes the VM's board. */
    byte[] deviceTree(String name);

    /** Exits handled so far, per kind. */
    Map<ExitKind, Long> exitCounts(String name);

    /**
     * Exits handled so far, per kind and per the bundle (symbolic name) whose routine handled them.
     *
     * @since 1.3
     */
    Map<ExitKind, Map<String, Long>> exitsByHandler(String name);

    /** How much host memory the VM's decoded and compiled code takes, and how often it was flushed. */
    CodeCacheStats codeCache(String name);

    /**
     * Attaches a debugger to a VM that is created, running or paused: it runs on until {@link VmDebug#stop}.
     * {@code listener} hears the stops and the VM's end, on the monitor's threads: it must return at once.
     *
     * @throws IllegalStateException when the VM is over or already has a debugger
     * @since 1.2
     */
    VmDebug debug(String name, Consumer<DebugEvent> listener);

    /** Waits until the VM is STOPPED or FAILED and returns its final info; empty if it still runs after the timeout. */
    Optional<VmInfo> awaitTermination(String name, Duration timeout) throws InterruptedException;
}
