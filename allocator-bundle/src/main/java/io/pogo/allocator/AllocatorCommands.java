package io.pogo.allocator;

import io.pogo.api.allocator.AllocatorControl;
import io.pogo.api.allocator.PolicyKind;
import io.pogo.api.allocator.PolicySwap;
import io.pogo.api.allocator.SchedulingUsage;
import io.pogo.api.vm.VmManager;
import java.util.Arrays;
import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** The {@code alloc:} commands of the Gogo shell. */
@Component(service = AllocatorCommands.class, property = {"osgi.command.scope=alloc",
        "osgi.command.function=policies", "osgi.command.function=use", "osgi.command.function=weight",
        "osgi.command.function=cap", "osgi.command.function=usage", "osgi.command.function=memcap"})
public final class AllocatorCommands {

    @Reference
    private AllocatorControl control;
    @Reference
    private VmManager vms;

    @Descriptor("list the scheduling and memory policies available; * marks the active one")
    public String policies() {
        StringBuilder out = new StringBuilder();
        for (PolicyKind kind : PolicyKind.values()) {
            String active = control.active(kind);
            out.append(String.format("%-7s", kind.word()));
            control.available(kind).forEach(name -> out.append(' ').append(name).append(name.equals(active) ? "*" : ""));
            out.append('\n');
        }
        return out.toString();
    }

    @Descriptor("select a policy while VMs run: alloc:use sched|memory NAME (remembered across restarts)")
    public String use(@Descriptor("sched or memory") String kind, @Descriptor("policy name") String name) {
        PolicyKind policyKind = kind(kind);
        PolicySwap swap = control.use(policyKind, name);
        if (swap.to().equals(swap.from())) {
            return kind + " policy " + name + " was already in use";
        }
        return policyKind == PolicyKind.SCHEDULING
                ? "sched policy %s in use (was %s); dispatching paused for %.1f µs while the run queue changed hands"
                        .formatted(swap.to(), swap.from(), swap.pauseNanos() / 1000.0)
                : "memory policy %s backs VMs created from now on (was %s)".formatted(swap.to(), swap.from());
    }

    @Descriptor("set a VM's relative weight for proportional-share policies (default 1)")
    public String weight(@Descriptor("VM name") String vm, @Descriptor("weight, 1..10000") String weight) {
        int value = number("alloc:weight", weight, "a weight (a whole number from 1 to 10000)");
        control.weight(existing(vm), value);
        return "weight of " + vm + " is " + value;
    }

    @Descriptor("cap a VM at a percentage of one host CPU; 0 removes the cap")
    public String cap(@Descriptor("VM name") String vm, @Descriptor("percent") String percent) {
        int value = number("alloc:cap", percent, "a percentage of one host CPU (a whole number; 0 removes the cap)");
        control.cap(existing(vm), value);
        return value == 0 ? vm + " has no cap" : vm + " is capped at " + value + "% of a host CPU";
    }

    @Descriptor("what the scheduler handed a VM so far: quanta run and host CPU time charged")
    public String usage(@Descriptor("VM name") String vm) {
        SchedulingUsage usage = control.usage(existing(vm));
        return "%s: %d quanta, %.3f s of host CPU".formatted(vm, usage.quanta(), usage.hostCpuNanos() / 1e9);
    }

    @Descriptor("cap the guest RAM the host backs for a VM (e.g. 64M, 1G; 0 removes the cap); a VM that waited for"
            + " memory runs on")
    public String memcap(@Descriptor("VM name") String vm, @Descriptor("size: bytes, or with K, M or G") String size) {
        long bytes = size(size);
        control.memoryCap(existing(vm), bytes);
        long cap = control.memoryCap(vm);
        return cap == 0 ? vm + " has no memory cap" : vm + " may have " + (cap >> 20) + "M of RAM backed";
    }

    private static long size(String text) {
        String digits = text.strip().toUpperCase();
        int shift = digits.endsWith("K") ? 10 : digits.endsWith("M") ? 20 : digits.endsWith("G") ? 30 : 0;
        if (shift > 0) {
            digits = digits.substring(0, digits.length() - 1);
        }
        try {
            long value = Long.parseLong(digits);
            if (value < 0 || value > Long.MAX_VALUE >> shift) {
                throw new NumberFormatException();
            }
            return value << shift;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("alloc:memcap: '" + text + "' is not a size (say 64M, 1G or 0)");
        }
    }

    private String existing(String vm) {
        if (vms.info(vm).isEmpty()) {
            throw new IllegalArgumentException("no VM named " + vm);
        }
        return vm;
    }

    private static int number(String command, String text, String expected) {
        try {
            return Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(command + ": '" + text + "' is not " + expected);
        }
    }

    private static PolicyKind kind(String word) {
        return Arrays.stream(PolicyKind.values()).filter(kind -> kind.word().equals(word)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("'" + word + "': say sched or memory"));
    }
}
