package io.pogo.api.allocator;

import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/** The allocator's knobs, as the {@code alloc:} commands use them. Selections persist across restarts. */
@ProviderType
public interface AllocatorControl {

    /** Names of the policies of that kind whose services are registered now. */
    List<String> available(PolicyKind kind);

    String active(PolicyKind kind);

    /**
     * Selects a policy; running VMs keep running. The choice is remembered, and taken up again whenever that
     * policy's bundle comes back after it left (the default policy stands in meanwhile).
     *
     * @throws IllegalArgumentException when no such policy is available
     */
    PolicySwap use(PolicyKind kind, String name);

    /** Sets a VM's relative weight (1..10000) for proportional-share policies. */
    void weight(String vmName, int weight);

    /** Caps a VM at {@code percent} of one host CPU (1..100·host CPUs); 0 removes the cap. */
    void cap(String vmName, int percent);

    /**
     * The quanta and host CPU time the scheduling policies handed the VM's running vCPUs so far.
     *
     * @since 1.1
     */
    SchedulingUsage usage(String vmName);

    /**
     * Sets how much of its RAM a VM should keep: its balloon holds the rest ({@code configured - bytes}).
     *
     * @throws IllegalArgumentException when the VM has no balloon or {@code bytes} is more than it has
     * @since 1.3
     */
    void memoryTarget(String vmName, long bytes);

    /**
     * Sets a VM's rate limit for one kind of I/O; {@link RateLimit#UNLIMITED} removes it.
     *
     * @since 1.3
     */
    void limit(String vmName, LimitedResource resource, RateLimit limit);

    /**
     * Sets a VM's rate limit from its words, as {@code alloc:limit} and {@code --limit} take them:
     * {@code bytes=RATE,ops=RATE[,bytes-burst=N][,ops-burst=N]} or {@code off}.
     *
     * @throws IllegalArgumentException naming the word that is wrong; the limit is then left as it was
     * @since 1.3
     */
    void limit(String vmName, LimitedResource resource, String words);

    /** @since 1.3 */
    RateLimit limit(String vmName, LimitedResource resource);

    /**
     * Caps the guest RAM the host backs for a VM at {@code bytes} (whole chunks); 0 removes the cap. A VM that
     * touches more waits, paused, until its cap is raised; raising it resumes such a VM. Only RAM backed on demand
     * can be capped.
     *
     * @throws IllegalArgumentException when the VM's RAM was backed in full when it was created (an eager policy)
     * @since 1.3
     */
    void memoryCap(String vmName, long bytes);

    /**
     * The VM's memory cap in bytes, or 0 when it has none.
     *
     * @since 1.3
     */
    long memoryCap(String vmName);
}
