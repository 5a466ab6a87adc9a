package io.pogo.allocator.cpu;

import io.pogo.api.allocator.RunQueue;
import io.pogo.api.allocator.SchedulableVcpu;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/** The credit policy's queue: per-VM accounts in host CPU nanoseconds, refilled every {@value #PERIOD_NANOS} ns. */
final class CreditRunQueue implements RunQueue {

    /** Xen's accounting period. */
    static final long PERIOD_NANOS = 30_000_000;
    /** How many periods' worth of host time a VM may owe. */
    private static final long DEBT_PERIODS = 10;

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
    private long usedLastPeriod;

    CreditRunQueue(int hostCpus) {
        this.hostCpus = hostCpus;
    }

    @Override
    public void add(SchedulableVcpu vcpu) {
        account(vcpu);
        queued.add(vcpu);
    }

    /** The queued vCPU whose VM has the most credit left, first come first served among equals. */
    @Override
    public SchedulableVcpu next(long nowNanos) {
        refillIfDue(nowNanos);
        SchedulableVcpu best = null;
        long bestCredit = Long.MIN_VALUE;
        for (SchedulableVcpu vcpu : queued) {
            Account account = account(vcpu);
            if (!capped(account) && (best == null || account.credit > bestCredit)) {
                best = vcpu;
                bestCredit = account.credit;
            }
        }
        if (best != null) {
            queued.remove(best);
        }
        return best;
    }

    @Override
    public void charge(SchedulableVcpu vcpu, long nanos, long nowNanos) {
        Account account = account(vcpu);
        account.credit -= nanos;
        account.usedThisPeriod += nanos;
        usedLastPeriod += nanos;
    }

    @Override
    public List<SchedulableVcpu> drain() {
        List<SchedulableVcpu> all = new ArrayList<>(queued);
        queued.clear();
        return all;
    }

    /**
     * Hands out the host CPU time the VMs got in the last period among the VMs whose vCPUs ran or queued in it,
     * by weight (VMs that idled or ended drop out and take no share). Handing out what was really used, rather
     * than the nominal period, keeps credit meaningful when the host gives Pogo less than its CPUs. Credit saved up
     * is bounded by one period's worth, so a VM that idled cannot hoard it; debt is bounded more loosely, so
     * overdrawing is paid back.
     */
    private void refillIfDue(long nowNanos) {
        if (periodStart != Long.MIN_VALUE && nowNanos - periodStart < PERIOD_NANOS) {
            return;
        }
        boolean first = periodStart == Long.MIN_VALUE;
        periodStart = nowNanos;
        accounts.values().removeIf(account -> !account.active);
        long totalWeight = accounts.values().stream().mapToLong(account -> account.weight).sum();
        long pool = first ? PERIOD_NANOS * hostCpus : usedLastPeriod;
        usedLastPeriod = 0;
        for (Account account : accounts.values()) {
            long share = pool * account.weight / Math.max(1, totalWeight);
            account.credit = Math.clamp(account.credit + share, -DEBT_PERIODS * PERIOD_NANOS * hostCpus,
                    PERIOD_NANOS * hostCpus);
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
