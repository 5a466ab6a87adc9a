package io.pogo.allocator.memory;

import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The balloon policy's arithmetic: given the host budget and what each VM holds, the balloon size each VM should
 * have. When the VMs together hold more host memory than the budget, the excess is taken from the VMs whose guests
 * report the most free memory, leaving each guest some headroom. When they hold clearly less, what the policy took
 * is given back, first to the guests that are short of free memory.
 */
final class BalloonBalancer {

    /** Free memory a guest keeps: an eighth of its RAM, and never less than this. */
    static final long MIN_HEADROOM = 16L << 20;
    /** Memory is given back only below this share of the budget, so a VM is not inflated and deflated in turn. */
    static final double RETURN_BELOW = 0.9;

    /**
     * One VM as the policy sees it.
     *
     * @param guestFree the guest's free memory by its last report, or -1 when it has not reported
     * @param floor     the least its balloon holds (what {@code alloc:mem} took away)
     * @param balloon   the balloon size asked for now
     */
    record Guest(String name, long configured, long resident, long guestFree, long floor, long balloon) {

        long headroom() {
            return Math.max(configured / 8, MIN_HEADROOM);
        }

        long reclaimable() {
            return guestFree < 0 ? 0 : Math.max(0, Math.min(guestFree - headroom(), configured - balloon));
        }
    }

    private BalloonBalancer() {
    }

    /** The balloon size of each VM whose balloon should change. */
    static Map<String, Long> plan(long budget, List<Guest> guests) {
        long held = guests.stream().mapToLong(Guest::resident).sum();
        Map<String, Long> targets = new HashMap<>();
        if (held > budget) {
            long needed = held - budget;
            for (Guest guest : guests.stream().sorted(Comparator.comparingLong(Guest::reclaimable).reversed()).toList()) {
                long take = Math.min(needed, guest.reclaimable());
                if (take > 0) {
                    targets.put(guest.name(), guest.balloon() + take);
                    needed -= take;
                }
            }
            return targets;
        }
        long spare = (long) (budget * RETURN_BELOW) - held;
        for (Guest guest : guests.stream().sorted(Comparator.comparingLong(BalloonBalancer::shortfall).reversed()
                .thenComparing(Guest::name)).toList()) {
            long give = Math.min(spare, guest.balloon() - Math.max(guest.floor(), 0));
            if (give > 0) {
                targets.put(guest.name(), guest.balloon() - give);
                spare -= give;
            }
        }
        guests.stream().filter(guest -> guest.balloon() < guest.floor())
                .forEach(guest -> targets.put(guest.name(), guest.floor()));
        return targets;
    }

    /** How far a guest is below its headroom; a guest that has not reported counts as short. */
    private static long shortfall(Guest guest) {
        return guest.guestFree() < 0 ? guest.headroom() : guest.headroom() - guest.guestFree();
    }
}
