package io.pogo.allocator;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.osgi.service.component.annotations.Component;

/** Each VM's weight and cap, as {@code alloc:weight} and {@code alloc:cap} set them. */
@Component(service = ShareTable.class)
public final class ShareTable {

    public static final int DEFAULT_WEIGHT = 1;

    private record Share(int weight, int capPercent) {
    }

    private final Map<String, Share> shares = new ConcurrentHashMap<>();

    public int weight(String vmName) {
        return shares.getOrDefault(vmName, new Share(DEFAULT_WEIGHT, 0)).weight();
    }

    public int capPercent(String vmName) {
        return shares.getOrDefault(vmName, new Share(DEFAULT_WEIGHT, 0)).capPercent();
    }

    public void setWeight(String vmName, int weight) {
        shares.merge(vmName, new Share(weight, 0), (old, given) -> new Share(weight, old.capPercent()));
    }

    public void setCap(String vmName, int capPercent) {
        shares.merge(vmName, new Share(DEFAULT_WEIGHT, capPercent), (old, given) -> new Share(old.weight(), capPercent));
    }
}
