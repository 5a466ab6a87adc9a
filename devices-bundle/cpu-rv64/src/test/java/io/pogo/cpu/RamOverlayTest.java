package io.pogo.cpu;

import io.pogo.api.cpu.CsrAddress;
import io.pogo.api.cpu.PrivilegeMode;
import io.pogo.api.device.MmioDevice;
import io.pogo.api.device.MmioWindow;
import io.pogo.api.dispatch.MmioBus;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A device window inside RAM (HTIF's tohost/fromhost): every access to it reaches the device, however often it
 * repeats and whether the hart runs bare in M-mode or through an Sv39 mapping, while the rest of its page stays RAM.
 */
class RamOverlayTest {
    private static final long PAGE = TestMachine.RAM_BASE + 0x1000;
    private static final MmioWindow WINDOW = new MmioWindow(PAGE + 0x40, 16);
    private static final long PAGE_TABLE = TestMachine.RAM_BASE + 0x10000;
    private static final long SHADOWED = 0x5A5A_5A5A_5A5A_5A5AL;
    private static final long DEVICE_VALUE = 0x1234;
    private static final int LOOPS = 5;

    private static final int T0 = 5;
    private static final int T1 = 6;
    private static final int T2 = 7;
    private static final int T3 = 28;
    private static final int T4 = 29;
    private static final int T5 = 30;
    private static final int T6 = 31;
    private static final int A0 = 10;
    private static final int A1 = 11;

    /** Where the guest code runs: bare physical addresses in M-mode, or a gigapage at virtual 0 in S-mode. */
    enum Regime { MACHINE_BARE, SUPERVISOR_SV39 }

    private record Access(boolean write, long offset, int size, long value) {
    }

    private static final class RecordingDevice implements MmioDevice {
        final List<Access> accesses = new ArrayList<>();

        @Override
        public synchronized long read(long offset, int size) {
            accesses.add(new Access(false, offset, size, 0));
            return DEVICE_VALUE;
        }

        @Override
        public synchronized void write(long offset, int size, long value) {
            accesses.add(new Access(true, offset, size, value));
        }
    }

    @ParameterizedTest
    @EnumSource(Regime.class)
    void overlaidBytesGoToTheDeviceEveryTimeAndTheRestOfThePageToRam(Regime regime) {
        RecordingDevice device = new RecordingDevice();
        boolean paged = regime == Regime.SUPERVISOR_SV39;
        long codeAddress = paged ? 0 : TestMachine.RAM_BASE;
        TestMachine machine = new TestMachine(1, 1 << 20, codeAddress,
                paged ? PrivilegeMode.SUPERVISOR : PrivilegeMode.MACHINE, false,
                List.of(new MmioBus.Mapping(WINDOW, device)));
        machine.memory.store(WINDOW.base(), 8, SHADOWED);
        machine.memory.store(PAGE, 8, 77);
        if (paged) {
            long gigapageLeaf = (TestMachine.RAM_BASE >>> 12) << 10 | 0xCF;
            machine.memory.store(PAGE_TABLE, 8, gigapageLeaf);
            machine.hart().writeCsr(CsrAddress.SATP, 8L << 60 | PAGE_TABLE >>> 12);
        }
        machine.memory.storeInts(TestMachine.RAM_BASE,
                auipc(T0, 1),                       // t0 = the overlaid page
                addi(T1, 0, 99),
                addi(A1, 0, LOOPS),
                sd(T1, T0, 0x40),                   // loop: tohost = 99
                ld(T2, T0, 0x40),                   //       read it back from the device
                addi(A1, A1, -1),
                bne(A1, 0, -12),
                ld(T3, T0, 0),                      // RAM before the window, on the same page
                sd(T1, T0, 8),                      // RAM, same page
                addi(T6, T0, 0x48),
                addi(T5, 0, 3),
                amoaddD(T4, T5, T6),                // fromhost += 3, through the device
                addi(A0, 0, 1),
                jal(0));
        machine.vcpu.run(200);

        assertEquals(1, machine.hart().register(A0), "the program ran to its end");
        assertEquals(DEVICE_VALUE, machine.hart().register(T2));
        assertEquals(77, machine.hart().register(T3));
        assertEquals(DEVICE_VALUE, machine.hart().register(T4));
        assertEquals(99, machine.memory.load(PAGE + 8, 8));
        assertEquals(SHADOWED, machine.memory.load(WINDOW.base(), 8), "RAM under the window is never touched");
        List<Access> expected = new ArrayList<>();
        for (int i = 0; i < LOOPS; i++) {
            expected.add(new Access(true, 0, 8, 99));
            expected.add(new Access(false, 0, 8, 0));
        }
        expected.add(new Access(false, 8, 8, 0));
        expected.add(new Access(true, 8, 8, DEVICE_VALUE + 3));
        assertEquals(expected, device.accesses);
    }

    private static int auipc(int rd, int upper) {
        return upper << 12 | rd << 7 | 0x17;
    }

    private static int addi(int rd, int rs1, int immediate) {
        return immediate << 20 | rs1 << 15 | rd << 7 | 0x13;
    }

    private static int ld(int rd, int rs1, int offset) {
        return offset << 20 | rs1 << 15 | 3 << 12 | rd << 7 | 0x03;
    }

    private static int sd(int rs2, int rs1, int offset) {
        return (offset >> 5) << 25 | rs2 << 20 | rs1 << 15 | 3 << 12 | (offset & 0x1F) << 7 | 0x23;
    }

    private static int amoaddD(int rd, int rs2, int rs1) {
        return rs2 << 20 | rs1 << 15 | 3 << 12 | rd << 7 | 0x2F;
    }

    private static int bne(int rs1, int rs2, int offset) {
        return ((offset >> 12) & 1) << 31 | ((offset >> 5) & 0x3F) << 25 | rs2 << 20 | rs1 << 15 | 1 << 12
                | ((offset >> 1) & 0xF) << 8 | ((offset >> 11) & 1) << 7 | 0x63;
    }

    private static int jal(int offset) {
        return ((offset >> 20) & 1) << 31 | ((offset >> 1) & 0x3FF) << 21 | ((offset >> 11) & 1) << 20
                | ((offset >> 12) & 0xFF) << 12 | 0x6F;
    }
}
