package io.pogo.allocator;

import io.pogo.allocator.limit.RateLimitSyntax;
import io.pogo.api.allocator.AllocatorControl;
import io.pogo.api.allocator.LimitedResource;
import io.pogo.api.allocator.PolicyKind;
import io.pogo.api.allocator.PolicySwap;
import io.pogo.api.allocator.SchedulingUsage;
import io.pogo.api.vm.VmManager;
import java.util.Arrays;
import java.util.Locale;
import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** The {@code alloc:} commands of the Gogo shell. */
@Component(service = AllocatorCommands.class, property = {"osgi.command.scope=alloc",
        "osgi.command.function=policies", "osgi.command.function=use", "osgi.command.function=weight",
        "osgi.command.function=cap", "osgi.command.function=usage", "osgi.command.function=mem",
        "osgi.command.function=memcap", "osgi.command.function=limit"})
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

    @Descriptor("set how much RAM a VM keeps; its balloon (--device virtio-balloon) holds the rest")
    public String mem(@Descriptor("VM name") String vm, @Descriptor("size such as 96M or 1G (a bare number is MiB)")
                      String size) {
        control.memoryTarget(existing(vm), size("mem", size, false));
        return "%s keeps %s of its RAM; its balloon holds the rest".formatted(vm, size.strip());
    }

    @Descriptor("show a VM's disk and network rate limits; alloc:limit VM disk|net LIMIT changes one")
    public String limit(@Descriptor("VM name") String vm) {
        existing(vm);
        StringBuilder out = new StringBuilder();
        for (LimitedResource resource : LimitedResource.values()) {
            out.append(String.format("%-5s", resource.word()))
                    .append(RateLimitSyntax.describe(control.limit(vm, resource))).append('\n');
        }
        return out.toString();
    }

    @Descriptor("limit a VM's disk or network I/O with token buckets: bytes/s and ops/s, each with a one-time burst")
    public String limit(@Descriptor("VM name") String vm, @Descriptor("disk or net") String resource,
                        @Descriptor(RateLimitSyntax.FORM) String limit) {
        LimitedResource limited = Arrays.stream(LimitedResource.values())
                .filter(candidate -> candidate.word().equals(resource)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("alloc:limit: '" + resource + "': say disk or net"));
        String name = existing(vm);
        try {
            control.limit(name, limited, limit);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("alloc:limit: " + e.getMessage());
        }
        return "%s %s limit: %s".formatted(vm, resource, RateLimitSyntax.describe(control.limit(name, limited)));
    }

    @Descriptor("cap the guest RAM the host backs for a VM (e.g. 64M, 1G; 0 removes the cap); a VM that waited for"
            + " memory runs on")
    public String memcap(@Descriptor("VM name") String vm, @Descriptor("size such as 64M or 1G (a bare number is MiB)")
                         String size) {
        String name = existing(vm);
        long bytes = size("memcap", size, true);
        try {
            control.memoryCap(name, bytes);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("alloc:memcap: " + e.getMessage());
        }
        long cap = control.memoryCap(vm);
        return cap == 0 ? vm + " has no memory cap" : vm + " may have " + (cap >> 20) + "M of RAM backed";
    }

    /** QEMU's balloon command's sizes: a number with an optional K/M/G suffix; a bare number means MiB. */
    private static long size(String command, String text, boolean zeroAllowed) {
        String value = text.strip().toUpperCase(Locale.ROOT);
        int shift = switch (value.isEmpty() ? ' ' : value.charAt(value.length() - 1)) {
            case 'K' -> 10;
            case 'M' -> 20;
            case 'G' -> 30;
            default -> -1;
        };
        try {
            long number = Long.parseLong(shift < 0 ? value : value.substring(0, value.length() - 1));
            int by = shift < 0 ? 20 : shift;
            if (number < 0 || number == 0 && !zeroAllowed || number << by >>> by != number) {
                throw new NumberFormatException();
            }
            return number << by;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("alloc:" + command + ": '" + text + "' is not a size such as 96M or 1G");
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
