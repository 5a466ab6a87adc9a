package io.pogo.api.vm;

import io.pogo.api.cpu.CodeCacheStats;
import io.pogo.api.cpu.ExitKind;
import java.nio.file.Path;
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

    /**
     * The VM's state alone: cheap enough to poll, where {@link #info} also counts the host memory the VM holds (for
     * a VM of gigabytes, a scan of its page tables).
     *
     * @since 1.5
     */
    Optional<VmState> state(String name);

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

    /**
     * Writes a running or paused VM to {@code file}: it is paused while its vCPUs, devices and touched RAM are
     * written (disks are flushed, not copied), then runs on, or stops when {@code stopAfter}. A VM with a device that
     * cannot save its state is refused with one sentence naming the device, and no file is left.
     *
     * @throws IllegalStateException    when the VM is unknown or over, or a device cannot save its state
     * @throws IllegalArgumentException when the file cannot be written
     * @since 1.3
     */
    SnapshotSummary snapshot(String name, Path file, boolean stopAfter);

    /**
     * Creates a VM from a snapshot file and starts it where the snapshot left it, named {@code newName}, or as the
     * snapshot's VM when that is null. A truncated, corrupted, foreign or newer file, or a disk that is gone or
     * changed size, is refused with one sentence, and nothing is created.
     *
     * @throws IllegalArgumentException when the file cannot be restored
     * @since 1.3
     */
    SnapshotSummary restore(Path file, String newName);

    /**
     * Moves a running VM to the Pogo process receiving at {@code host:port} while it runs (pre-copy: RAM is sent
     * with the guest running, the pages it dirties again in rounds, then the rest and its state with the guest
     * paused). The VM is stopped and forgotten here once it runs there; a migration that fails before that leaves it
     * running here. {@code progress} hears a line per round.
     *
     * @throws IllegalStateException with one sentence when the VM is unknown or not running, or the migration failed
     * @since 1.4
     */
    MigrationSummary migrate(String name, String host, int port, Consumer<String> progress);

    /**
     * Waits on {@code port} of {@code host} (the loopback address when null: other hosts reach it only when an address
     * is given) for one VM migrating here, and returns once it runs here. A VM that does not arrive whole is
     * discarded.
     *
     * @throws IllegalArgumentException when the port cannot be listened on
     * @throws IllegalStateException    with one sentence when the migration failed
     * @since 1.4
     */
    MigrationSummary receive(String host, int port, Consumer<String> progress);

    /** Waits until the VM is STOPPED or FAILED and returns its final info; empty if it still runs after the timeout. */
    Optional<VmInfo> awaitTermination(String name, Duration timeout) throws InterruptedException;
}
