package io.pogo.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pogo.api.device.ConsoleChannel;
import io.pogo.api.device.Device;
import io.pogo.api.device.DeviceContext;
import io.pogo.api.device.HartInterrupts;
import io.pogo.api.device.InterruptLine;
import io.pogo.api.device.MmioWindow;
import io.pogo.api.device.PowerControl;
import io.pogo.api.device.Timebase;
import io.pogo.api.memory.DirtyPages;
import io.pogo.api.memory.GuestMemory;
import java.io.ByteArrayOutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** HTIF as riscv-tests, pk-style programs and bbl drive it, with the register behaviour of QEMU 7.2. */
class HtifTest {

    private static final long RAM = 0x8000_0000L;
    /** As riscv-tests lay them out: tohost, then fromhost 64 bytes further. */
    private static final long TOHOST = 0x8000_1000L;
    private static final long FROMHOST = 0x8000_1040L;
    private static final MmioWindow WINDOW = new MmioWindow(TOHOST, 0x48);
    private static final long TO = 0;
    private static final long FROM = 0x40;
    private static final long MAGIC = RAM + 0x2000;
    private static final long TEXT = RAM + 0x3000;

    private final List<Integer> powerOffs = new ArrayList<>();
    private final ByteArrayOutputStream output = new ByteArrayOutputStream();
    private final ArrayDeque<Integer> input = new ArrayDeque<>();
    private final GuestMemory memory = new Ram(RAM, 0x10000);
    private final Device htif = new HtifFactory().create(context(WINDOW,
            Map.of("tohost", "0x80001000", "fromhost", "0x80001040")));

    @Test
    void exitCodesEndTheVmWithValueShiftedRight() {
        htif.write(TO, 8, 1);
        htif.write(TO, 8, 5 << 1 | 1);
        assertEquals(List.of(0, 5), powerOffs);
        assertEquals(0, htif.read(TO, 8), "tohost reads 0 once taken");
    }

    @Test
    void aPairOfWordStoresTakesTheCommandAtTheHighHalf() {
        htif.write(TO, 4, 3 << 1 | 1);
        assertEquals(List.of(), powerOffs);
        assertEquals(7, htif.read(TO, 8), "latched, not yet taken");
        htif.write(TO + 4, 4, 0);
        assertEquals(List.of(3), powerOffs);
    }

    @Test
    void aLowHalfWrittenWhileTohostIsBusyIsIgnoredWithItsHighHalf() {
        htif.write(TO, 4, 2 << 1 | 1);
        htif.write(TO, 4, 9 << 1 | 1);
        htif.write(TO + 4, 4, 0);
        assertEquals(List.of(), powerOffs, "QEMU drops the second command and the high half that follows it");
        assertEquals(5, htif.read(TO, 4));
    }

    @Test
    void zeroWrittenIntoBothHalvesIsNoCommand() {
        htif.write(TO, 8, 0x0101_0000_0000_0041L);
        htif.write(TO, 4, 0);
        htif.write(TO + 4, 4, 0);
        assertEquals(0x0101_0000_0000_0141L, htif.read(FROM, 8), "the last answer stays for the guest to see");
        assertEquals(List.of(), powerOffs);
    }

    @Test
    void consolePutcharWritesTheByteAndAnswersInFromhost() {
        htif.write(TO, 8, 0x0101_0000_0000_0041L);
        htif.write(TO, 8, 0x0101_0000_0000_000aL);
        assertEquals("A\n", output.toString(StandardCharsets.US_ASCII));
        assertEquals(0x0101_0000_0000_010aL, htif.read(FROM, 8));
        assertEquals(0, htif.read(TO, 8));
        htif.write(FROM, 8, 0);
        assertEquals(0, htif.read(FROM, 8), "the guest acknowledges by clearing fromhost");
    }

    @Test
    void consoleGetcharIsAnsweredOnceInputArrives() {
        htif.write(TO, 8, 0x0100_0000_0000_0000L);
        assertEquals(0, htif.read(FROM, 8), "nothing typed yet");
        assertEquals(0, htif.read(TO, 8), "the request was taken");
        input.add((int) 'x');
        assertEquals(0x0100_0000_0000_0178L, htif.read(FROM, 8));
        htif.write(FROM, 8, 0);
        input.add((int) 'y');
        assertEquals(0, htif.read(FROM, 8), "no second answer without a second request");
    }

    @Test
    void systemCallWriteGoesToTheConsoleAndItsResultIntoMagicMem() {
        byte[] text = "hi from pk\n".getBytes(StandardCharsets.US_ASCII);
        memory.write(TEXT, text, 0, text.length);
        syscall(HtifSyscalls.SYS_WRITE, 1, TEXT, text.length);
        assertEquals("hi from pk\n", output.toString(StandardCharsets.US_ASCII));
        assertEquals(text.length, memory.load(MAGIC, 8));
        assertEquals(1, htif.read(FROM, 8), "Spike's front end answers 1 for device 0");
        syscall(HtifSyscalls.SYS_WRITE, 2, TEXT, 2);
        assertEquals("hi from pk\nhi", output.toString(StandardCharsets.US_ASCII));
    }

    @Test
    void systemCallErrorsComeBackAsNegativeErrnos() {
        syscall(HtifSyscalls.SYS_WRITE, 3, TEXT, 1);
        assertEquals(-9, memory.load(MAGIC, 8), "EBADF");
        syscall(HtifSyscalls.SYS_WRITE, 1, RAM + 0xFFFF, 2);
        assertEquals(-14, memory.load(MAGIC, 8), "EFAULT");
        syscall(57, 3, 0, 0);
        assertEquals(-38, memory.load(MAGIC, 8), "ENOSYS for close and every other call");
        assertEquals("", output.toString(StandardCharsets.US_ASCII));
    }

    @Test
    void systemCallExitEndsTheVm() {
        syscall(HtifSyscalls.SYS_EXIT, 42, 0, 0);
        assertEquals(List.of(42), powerOffs);
        syscall(HtifSyscalls.SYS_EXIT, -1, 0, 0);
        assertEquals(255, powerOffs.get(1) & 0xFF, "exit(-1) ends the process with 255, as on Spike");
    }

    @Test
    void withoutSymbolsItSitsWhereQemusSpikeMachinePutsIt() {
        MmioWindow spike = new MmioWindow(HtifFactory.SPIKE_BASE, 0x1000);
        Device fixed = new HtifFactory().create(context(spike, Map.of()));
        fixed.write(8, 8, 0x0101_0000_0000_0021L);
        assertEquals("!", output.toString(StandardCharsets.US_ASCII));
        assertEquals(0x0101_0000_0000_0121L, fixed.read(0, 8), "fromhost comes first, tohost at +8");
    }

    @Test
    void badOptionsAreOneLine() {
        assertTrue(reject(Map.of("tohost", "0x90000000")).contains("outside the device's window"));
        assertTrue(reject(Map.of("tohost", "here")).contains("expected an address"));
        assertTrue(reject(Map.of("tohost", "0x80001000", "speed", "9")).contains("unknown option 'speed'"));
    }

    private String reject(Map<String, String> options) {
        return assertThrows(IllegalArgumentException.class, () -> new HtifFactory().create(context(WINDOW, options)))
                .getMessage();
    }

    private void syscall(long number, long a0, long a1, long a2) {
        memory.store(MAGIC, 8, number);
        memory.store(MAGIC + 8, 8, a0);
        memory.store(MAGIC + 16, 8, a1);
        memory.store(MAGIC + 24, 8, a2);
        htif.write(TO, 8, MAGIC);
        assertEquals(0, htif.read(TO, 8));
    }

    private DeviceContext context(MmioWindow window, Map<String, String> options) {
        ConsoleChannel console = new ConsoleChannel() {
            @Override
            public void write(int b) {
                output.write(b);
            }

            @Override
            public int poll() {
                Integer next = input.poll();
                return next == null ? -1 : next;
            }

            @Override
            public void onInput(Runnable listener) {
            }
        };
        PowerControl power = new PowerControl() {
            @Override
            public void powerOff(int status) {
                powerOffs.add(status);
            }

            @Override
            public void reset() {
                throw new AssertionError("HTIF never resets");
            }
        };
        return new DeviceContext() {
            public String vmName() {
                return "test";
            }

            public MmioWindow window() {
                return window;
            }

            public InterruptLine interruptLine() {
                throw new AssertionError("HTIF has no interrupt line");
            }

            public GuestMemory memory() {
                return memory;
            }

            public Map<String, String> options() {
                return options;
            }

            public ConsoleChannel console() {
                return console;
            }

            public PowerControl power() {
                return power;
            }

            public HartInterrupts hartInterrupts() {
                throw new AssertionError("HTIF raises no interrupts");
            }

            public Timebase timebase() {
                throw new AssertionError("HTIF keeps no time");
            }
        };
    }

    /** Guest RAM: one off-heap segment, bounds-checked as the API requires. */
    private record Ram(long base, MemorySegment segment) implements GuestMemory {

        /** These tests never migrate: nothing is tracked, and starting to is a test bug. */
        private static final DirtyPages UNTRACKED = new DirtyPages() {
            public boolean tracking() {
                return false;
            }

            public void start() {
                throw new UnsupportedOperationException("test RAM does not track dirty pages");
            }

            public void stop() {
            }

            public void mark(long offset, long length) {
            }

            public boolean isDirty(long offset) {
                return false;
            }

            public long[] take() {
                return new long[0];
            }
        };

        Ram(long base, long size) {
            this(base, Arena.ofAuto().allocate(size, 8));
        }

        public long size() {
            return segment.byteSize();
        }

        public boolean contains(long address, long length) {
            long offset = address - base;
            return length >= 0 && offset >= 0 && offset <= size() - length;
        }

        public long load(long address, int size) {
            long value = 0;
            for (int i = size - 1; i >= 0; i--) {
                value = value << 8 | segment.get(ValueLayout.JAVA_BYTE, offset(address, size) + i) & 0xFF;
            }
            return value;
        }

        public void store(long address, int size, long value) {
            for (int i = 0; i < size; i++) {
                segment.set(ValueLayout.JAVA_BYTE, offset(address, size) + i, (byte) (value >>> (8 * i)));
            }
        }

        public DirtyPages dirtyPages() {
            return UNTRACKED;
        }

        public void read(long address, byte[] destination, int offset, int length) {
            MemorySegment.copy(segment, ValueLayout.JAVA_BYTE, offset(address, length), destination, offset, length);
        }

        public void write(long address, byte[] source, int offset, int length) {
            MemorySegment.copy(source, offset, segment, ValueLayout.JAVA_BYTE, offset(address, length), length);
        }

        public void discard(long address, long length) {
            throw new AssertionError("HTIF never discards guest memory");
        }

        private long offset(long address, long length) {
            if (!contains(address, length)) {
                throw new IndexOutOfBoundsException("0x%x+%d".formatted(address, length));
            }
            return address - base;
        }
    }
}
