package io.pogo.cpu;

import io.pogo.api.cpu.CodeCacheStats;
import io.pogo.api.cpu.HartConfig;
import io.pogo.api.cpu.PrivilegeMode;
import io.pogo.cpu.jit.CodeBudget;
import org.junit.jupiter.api.Test;

import java.lang.ref.WeakReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The host memory a VM's code takes stays within its budget, however much code the guest runs. */
class CodeBudgetTest {
    private static final long LIMIT = CodeBudget.MIN_LIMIT;

    @Test
    void codeAtAMillionAddressesRunsWithinTheBudgetByFlushing() {
        TestMachine machine = TestMachine.boot("sprawl-1m", 1, new Rv64VCpuFactory(LIMIT));

        assertEquals(0, machine.runToFinisher(20_000_000), machine.console.toString());
        assertEquals("sprawl: called 0x0000000000100000 addresses, counted 0x0000000000080000\r\n",
                machine.console.toString());
        CodeCacheStats stats = machine.vcpu.codeCache();
        assertEquals(LIMIT, stats.limitBytes());
        assertTrue(stats.peakBytes() <= LIMIT && stats.usedBytes() <= LIMIT, stats.toString());
        // a million one- and two-instruction blocks take over a hundred times the limit
        assertTrue(stats.flushes() >= 100, stats.toString());
    }

    @Test
    void aGuestThatFitsIsNeverFlushedAndReleasingTheVcpuGivesEverythingBack() {
        TestMachine machine = TestMachine.boot("hello", 1, new Rv64VCpuFactory(LIMIT));

        assertEquals(0, machine.runToFinisher(1_000_000));
        CodeCacheStats running = machine.vcpu.codeCache();
        assertEquals(0, running.flushes());
        assertTrue(running.usedBytes() > 0 && running.usedBytes() == running.peakBytes(), running.toString());

        machine.vcpu.release();
        assertEquals(new CodeCacheStats(LIMIT, 0, running.peakBytes(), 0), machine.vcpu.codeCache());
    }

    @Test
    void theHartsOfOneVmShareOneBudget() {
        TestMachine machine = TestMachine.boot("hello", 2, new Rv64VCpuFactory(LIMIT));

        assertEquals(0, machine.runToFinisher(1_000_000));
        assertEquals(machine.vcpus.get(0).codeCache(), machine.vcpus.get(1).codeCache());
    }

    @Test
    void theFactoryKeepsNoVmAliveOnceItsHartsAreGone() throws InterruptedException {
        Rv64VCpuFactory factory = new Rv64VCpuFactory(LIMIT);
        WeakReference<TestMemory> memory = vmWhoseHartWakesThroughItsMemory(factory);
        for (int attempt = 0; attempt < 100 && memory.get() != null; attempt++) {
            System.gc();
            Thread.sleep(10);
        }
        assertNull(memory.get(), "what the factory shares between harts must not lead back to the VM");
    }

    /** As in the monitor, the hart's wake-up reaches the VM, and through it the memory the factory keys on. */
    private static WeakReference<TestMemory> vmWhoseHartWakesThroughItsMemory(Rv64VCpuFactory factory) {
        TestMemory memory = new TestMemory(TestMachine.RAM_BASE, 1 << 20);
        factory.create(new HartConfig(0, TestMachine.RAM_BASE, PrivilegeMode.MACHINE, false), memory,
                (exit, hart) -> 0, memory::size);
        return new WeakReference<>(memory);
    }
}
