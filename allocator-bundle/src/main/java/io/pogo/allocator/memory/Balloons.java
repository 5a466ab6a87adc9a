package io.pogo.allocator.memory;

import io.pogo.api.allocator.MemoryBalloon;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.osgi.service.component.annotations.Component;

/**
 * The VMs' balloon devices and how much RAM the user lets each VM keep ({@code alloc:mem}). Whatever memory
 * policy backs a VM, its balloon holds at least what the user took away; the balloon policy may take more.
 */
@Component(service = Balloons.class)
public final class Balloons {

    private final Map<String, MemoryBalloon> balloons = new ConcurrentHashMap<>();
    private final Map<String, Long> keep = new ConcurrentHashMap<>();

    public void attach(String vmName, MemoryBalloon balloon) {
        balloons.put(vmName, balloon);
        keep.remove(vmName);
    }

    public void detach(String vmName, MemoryBalloon balloon) {
        if (balloons.remove(vmName, balloon)) {
            keep.remove(vmName);
        }
    }

    public Optional<MemoryBalloon> balloon(String vmName) {
        return Optional.ofNullable(balloons.get(vmName));
    }

    /**
     * Lets the VM keep {@code bytes} of its RAM: its balloon is inflated to hold the rest.
     *
     * @throws IllegalArgumentException when the VM has no balloon, or {@code bytes} is more RAM than it has
     */
    public void keep(String vmName, long bytes) {
        MemoryBalloon balloon = balloon(vmName).orElseThrow(() -> new IllegalArgumentException(
                "VM " + vmName + " has no balloon (give it one with --device virtio-balloon)"));
        if (bytes <= 0 || bytes > balloon.guestBytes()) {
            throw new IllegalArgumentException("alloc:mem %s: a VM with %dM of RAM cannot keep %dM"
                    .formatted(vmName, balloon.guestBytes() >> 20, bytes >> 20));
        }
        keep.put(vmName, bytes);
        balloon.target(balloon.guestBytes() - bytes);
    }

    /** The least the VM's balloon holds: what the user took away with {@code alloc:mem}. */
    long floor(String vmName, MemoryBalloon balloon) {
        return balloon.guestBytes() - keep.getOrDefault(vmName, balloon.guestBytes());
    }

    Map<String, MemoryBalloon> all() {
        return Map.copyOf(balloons);
    }
}
