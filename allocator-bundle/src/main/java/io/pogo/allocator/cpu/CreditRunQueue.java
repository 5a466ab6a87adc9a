package io.pogo.allocator.cpu;

import io.pogo.api.allocator.RunQueue;
import io.pogo.api.allocator.SchedulableVcpu;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/** The credit policy's queue: per-VM accounts, refilled every {@value #PERIOD_NANOS} ns. */
final class CreditRunQueue implements RunQueue {

    /** Xen's accounting period. */
    static final long PERIOD_NANOS = 30_000_000;

    /** One VM's account. */
    private static final class Account {
        long credit;
        long usedThisPeriod;
        int weight;
        int capPercent;
        boolean active;
    }

    private final int hostCpus;
    private final LinkedHashSet<SchedulableVcpu> queued = new LinkedHashSet<>();
    private final Map<String, Account> accounts = new HashMap<>();
    private long periodStart = Long.MIN_VALUE;

    CreditRunQueue(int hostCpus) {
        this.hostCpus = hostCpus;
    }

    @Override
    public void add(SchedulableVcpu vcpu) {
        account(vcpu);
        queued.add(vcpu);
    }

    @Override
    public SchedulableVcpu next(long nowNanos) {
        refillIfDue(nowNanos);
        SchedulableVcpu over = null;
        for (Iterator<SchedulableVcpu> it = queued.iterator(); it.hasNext(); ) {
            SchedulableVcpu vcpu = it.next();
            Account account = account(vcpu);
            if (capped(account)) {
                continue;
            }
            if (account.credit > 0) {
                it.remove();
                return vcpu;
            }
            if (over == null) {
                over = vcpu;
            }
        }
        if (over != null) {
            queued.remove(over);
        }
        return over;
    }

    @Override
    public void charge(SchedulableVcpu vcpu, long nanos, long nowNanos) {
        Account account = account(vcpu);
        account.credit -= nanos;
        account.usedThisPeriod += nanos;
    }

    @Override
    public List<SchedulableVcpu> drain() {
        List<SchedulableVcpu> all = new ArrayList<>(queued);
        queued.clear();
        return all;
    }

    /**
     * Hands out one period of host CPU time among the VMs whose vCPUs ran or queued in the last period, by weight
     * (VMs that idled or ended drop out and take no share).
     * Credit is bounded by one period's worth either way, so a VM that idled cannot hoard it.
     */
    private void refillIfDue(long nowNanos) {
        if (periodStart != Long.MIN_VALUE && nowNanos - periodStart < PERIOD_NANOS) {
            return;
        }
        periodStart = nowNanos;
        accounts.values().removeIf(account -> !account.active);
        long totalWeight = accounts.values().stream().mapToLong(account -> account.weight).sum();
        long pool = PERIOD_NANOS * hostCpus;
        for (Account account : accounts.values()) {
            long share = pool * account.weight / Math.max(1, totalWeight);
            account.credit = Math.clamp(account.credit + share, -pool, pool);
            account.usedThisPeriod = 0;
            account.active = false;
        }
    }

    private boolean capped(Account account) {
        return account.capPercent > 0 && account.usedThisPeriod * 100 >= PERIOD_NANOS * account.capPercent;
    }

    private Account account(SchedulableVcpu vcpu) {
        Account account = accounts.computeIfAbsent(vcpu.vmName(), name -> new Account());
        account.weight = Math.max(1, vcpu.weight());
        account.capPercent = vcpu.capPercent();
        account.active = true;
        return account;
    }
}
