package io.pogo.allocator.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pogo.api.allocator.SchedulableVcpu;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The credit policy on a simulated clock: two host CPUs, quanta of 3 ms. */
class CreditRunQueueTest {

    private static final long QUANTUM_NANOS = 3_000_000;

    record Vcpu(String vmName, int hartId, int weight, int capPercent) implements SchedulableVcpu {
    }

    /** Runs every host CPU for {@code rounds} quanta and returns the host time each VM got. */
    private static Map<String, Long> simulate(CreditRunQueue queue, List<Vcpu> vcpus, int hostCpus, int rounds) {
        vcpus.forEach(queue::add);
        Map<String, Long> used = new HashMap<>();
        long now = 0;
        for (int round = 0; round < rounds; round++) {
            SchedulableVcpu[] running = new SchedulableVcpu[hostCpus];
            for (int cpu = 0; cpu < hostCpus; cpu++) {
                running[cpu] = queue.next(now);
            }
            now += QUANTUM_NANOS;
            for (SchedulableVcpu vcpu : running) {
                if (vcpu != null) {
                    queue.charge(vcpu, QUANTUM_NANOS, now);
                    used.merge(vcpu.vmName(), QUANTUM_NANOS, Long::sum);
                    queue.add(vcpu);
                }
            }
        }
        return used;
    }

    @Test
    void weightsOneToThreeGiveAQuarterAndThreeQuarters() {
        List<Vcpu> vcpus = List.of(new Vcpu("a", 0, 1, 0), new Vcpu("b", 0, 1, 0), new Vcpu("c", 0, 3, 0),
                new Vcpu("d", 0, 3, 0));
        Map<String, Long> used = simulate(new CreditRunQueue(2), vcpus, 2, 2000);
        double light = used.get("a") + used.get("b");
        double heavy = used.get("c") + used.get("d");
        assertEquals(0.25, light / (light + heavy), 0.02, used.toString());
        assertEquals(used.get("a"), used.get("b"), 0.05 * used.get("a"), used.toString());
    }

    @Test
    void equalWeightsShareEqually() {
        List<Vcpu> vcpus = List.of(new Vcpu("a", 0, 1, 0), new Vcpu("b", 0, 1, 0), new Vcpu("c", 0, 1, 0));
        Map<String, Long> used = simulate(new CreditRunQueue(2), vcpus, 2, 3000);
        long total = used.values().stream().mapToLong(Long::longValue).sum();
        used.values().forEach(time -> assertEquals(1.0 / 3, (double) time / total, 0.02, used.toString()));
    }

    @Test
    void aCappedVmGetsNoMoreThanItsCapAndTheRestIsNotWasted() {
        List<Vcpu> vcpus = List.of(new Vcpu("capped", 0, 1, 20), new Vcpu("free", 0, 1, 0));
        long rounds = 3000;
        Map<String, Long> used = simulate(new CreditRunQueue(1), vcpus, 1, (int) rounds);
        double cappedShare = (double) used.get("capped") / (rounds * QUANTUM_NANOS);
        assertTrue(cappedShare <= 0.2 + QUANTUM_NANOS / (double) CreditRunQueue.PERIOD_NANOS, used.toString());
        assertTrue(cappedShare >= 0.15, used.toString());
        assertEquals(rounds * QUANTUM_NANOS, used.get("capped") + used.get("free"), "work conserving");
    }

    @Test
    void nothingQueuedMeansNothingToRun() {
        CreditRunQueue queue = new CreditRunQueue(2);
        assertNull(queue.next(0));
        Vcpu only = new Vcpu("a", 0, 1, 0);
        queue.add(only);
        assertEquals(List.of(only), queue.drain());
        assertNull(queue.next(1));
    }
}
